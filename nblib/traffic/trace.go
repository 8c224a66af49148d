package traffic

import (
	"fmt"
	"sort"
	"strings"
)

// Direction of a packet: Up (+1) is device -> server, Down (-1) is
// server -> device, the sign convention of the Deep Fingerprinting and
// VCFingerprinting datasets.
type Direction int8

// The two packet directions.
const (
	Up   Direction = 1
	Down Direction = -1
)

// Packet is one packet of a trace.
type Packet struct {
	Time float64   // seconds, any origin; features use times relative to the first packet
	Size float64   // bytes
	Dir  Direction // Up or Down
}

// Trace is one labelled capture: either packets or a ready series.
type Trace struct {
	ID    string // unique within its dataset, e.g. a file name
	Label string // class name
	Class int    // index of Label in Dataset.Classes, set by NewDataset
	Group string // optional: platform, device or traffic type

	Packets []Packet  // packet-level traces; nil for ready series
	Values  []float64 // a ready series, used when Packets is nil
	Step    float64   // seconds between Values samples; 0 when not time based
}

// Dataset is a list of traces with class names in a stable order.
type Dataset struct {
	Name    string   // short name shown by tools, e.g. "d1-youtube"
	Classes []string // class names; Traces[i].Class indexes this
	Traces  []Trace
	Default Feature // the feature the paper uses for this data
}

// NewDataset sets every trace's Class from its Label. With classes nil the
// classes are the sorted distinct labels; otherwise a label missing from
// classes is an error naming the trace.
func NewDataset(name string, traces []Trace, classes []string, def Feature) (*Dataset, error) {
	if classes == nil {
		classes = distinctSorted(traces)
	}
	index := make(map[string]int, len(classes))
	for i, c := range classes {
		if err := CheckClassName(c); err != nil {
			return nil, fmt.Errorf("traffic: dataset %s: class %d: %w", name, i, err)
		}
		if _, dup := index[c]; dup {
			return nil, fmt.Errorf("traffic: dataset %s: class %q listed twice", name, c)
		}
		index[c] = i
	}
	for i := range traces {
		c, ok := index[traces[i].Label]
		if !ok {
			return nil, fmt.Errorf("traffic: dataset %s: trace %q has label %q, not one of the %d classes; add it to the class list or fix the label",
				name, traces[i].ID, traces[i].Label, len(classes))
		}
		traces[i].Class = c
	}
	return &Dataset{Name: name, Classes: classes, Traces: traces, Default: def}, nil
}

// CheckClassName refuses a class name that is empty, only spaces, or holds a line break or a control
// character: such names cannot be stored in the classes array, a labels file or a file name.
func CheckClassName(c string) error {
	if strings.TrimSpace(c) == "" {
		return fmt.Errorf("class name %q is empty; give every class a name", c)
	}
	for _, r := range c {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("class name %q holds a control character (a newline or tab); use a single-line name", c)
		}
	}
	return nil
}

func distinctSorted(traces []Trace) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range traces {
		if !seen[t.Label] {
			seen[t.Label] = true
			out = append(out, t.Label)
		}
	}
	sort.Strings(out)
	return out
}

// Labels returns the class index of every trace, in trace order.
func (d *Dataset) Labels() []int {
	out := make([]int, len(d.Traces))
	for i, t := range d.Traces {
		out[i] = t.Class
	}
	return out
}

// Groups returns the group of every trace, in trace order.
func (d *Dataset) Groups() []string {
	out := make([]string, len(d.Traces))
	for i, t := range d.Traces {
		out[i] = t.Group
	}
	return out
}

// CountPerClass returns how many traces each class has.
func (d *Dataset) CountPerClass() []int {
	out := make([]int, len(d.Classes))
	for _, t := range d.Traces {
		out[t.Class]++
	}
	return out
}

// Series computes feature f for every trace, each of fixed length f.Length.
// The error names the first trace the feature cannot be computed for.
//
// The series of all traces together hold at most MaxSeriesValues values: a feature length that would take
// more memory is an error before anything is allocated.
func (d *Dataset) Series(f Feature) ([][]float64, error) {
	if f.Length <= 0 {
		return nil, fmt.Errorf("traffic: dataset %s: feature %v has length %d; want >= 1", d.Name, f.Kind, f.Length)
	}
	if n := len(d.Traces); n > 0 && f.Length > MaxSeriesValues/n {
		return nil, fmt.Errorf("traffic: dataset %s: %d traces of feature length %d are %.3g values (%.3g GB), over MaxSeriesValues %d; use a smaller length",
			d.Name, n, f.Length, float64(n)*float64(f.Length), 8*float64(n)*float64(f.Length)/1e9, MaxSeriesValues)
	}
	out := make([][]float64, len(d.Traces))
	for i := range d.Traces {
		s, err := f.Of(&d.Traces[i])
		if err != nil {
			return nil, fmt.Errorf("traffic: dataset %s: %w", d.Name, err)
		}
		out[i] = s
	}
	return out, nil
}

// MaxSeriesValues bounds the values Dataset.Series makes for one dataset: 2^29 float64, 4 GiB.
const MaxSeriesValues = 1 << 29

// Subset returns a dataset with the traces at idx, in that order, sharing
// class names (so class indices are unchanged) and trace data with d.
func (d *Dataset) Subset(idx []int) *Dataset {
	traces := make([]Trace, len(idx))
	for i, j := range idx {
		traces[i] = d.Traces[j]
	}
	return &Dataset{Name: d.Name, Classes: d.Classes, Traces: traces, Default: d.Default}
}

// Filter returns the traces whose group is group, with the class list
// reduced to the classes they use (in d's order) and class indices renumbered
// to match: the per-platform / per-device L3 task of the paper.
func (d *Dataset) Filter(group string) *Dataset {
	var traces []Trace
	used := map[string]bool{}
	for _, t := range d.Traces {
		if t.Group == group {
			traces = append(traces, t)
			used[t.Label] = true
		}
	}
	var classes []string
	for _, c := range d.Classes {
		if used[c] {
			classes = append(classes, c)
		}
	}
	out, err := NewDataset(d.Name+"/"+group, traces, classes, d.Default)
	if err != nil {
		panic(err) // impossible: classes holds every used label
	}
	return out
}

// ByGroup returns the same traces labelled by their group (classes: the
// sorted distinct groups), for the platform / device level of the
// hierarchical classifier. Traces without a group get the label "-".
func (d *Dataset) ByGroup() *Dataset {
	traces := make([]Trace, len(d.Traces))
	for i, t := range d.Traces {
		t.Label = t.Group
		if t.Label == "" {
			t.Label = "-"
		}
		traces[i] = t
	}
	out, err := NewDataset(d.Name+"/groups", traces, nil, d.Default)
	if err != nil {
		panic(err) // impossible: classes are derived from the labels
	}
	return out
}

// Length returns the natural length of trace t: its number of packets, or
// of values for a ready series.
func (t *Trace) Length() int {
	if t.Packets != nil {
		return len(t.Packets)
	}
	return len(t.Values)
}

package baselines

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/netdiffus/netdiffus/internal/infile"

	"github.com/netdiffus/netdiffus/nblib/traffic"
	"github.com/netdiffus/netdiffus/nblib/traffic/trafficio"
)

// ImportDoppelGANger reads the .npz that DoppelGANger's generate script writes (data_feature
// (N, T, F), data_attribute (N, A), data_gen_flag (N, T), the format of its data_train.npz) into
// labelled ready series: trafficio.ReadDoppelGANger with the class taken from the one-hot attribute
// block opt selects.
func ImportDoppelGANger(path string, opt trafficio.DGOptions) (*traffic.Dataset, traffic.Report, error) {
	return trafficio.ReadDoppelGANger(path, opt)
}

// LabelledFile is one output file of a tool run for one class.
type LabelledFile struct {
	Label string
	Path  string
}

// ImportNetShare reads NetShare's generated packet CSVs (srcip, dstip, srcport, dstport, proto,
// time, pkt_len, ...; see trafficio.ReadNetSharePackets), one file per class as one trains one
// NetShare model per class, into one labelled dataset whose traces are the bidirectional flows and
// whose default feature is def (D3: traffic.PacketFeature(traffic.SignedSizes, 300)).
func ImportNetShare(files []LabelledFile, opt trafficio.NetShareOptions, def traffic.Feature) (*traffic.Dataset, traffic.Report, error) {
	var rep traffic.Report
	var traces []traffic.Trace
	if len(files) == 0 {
		return nil, rep, fmt.Errorf("baselines: no NetShare files given")
	}
	for _, f := range files {
		if f.Label == "" {
			return nil, rep, fmt.Errorf("baselines: NetShare file %s has no class label", f.Path)
		}
		o := opt
		o.Label, o.LabelColumn = f.Label, ""
		ds, r, err := trafficio.ReadNetSharePackets(f.Path, o)
		rep.Merge(r)
		if err != nil {
			return nil, rep, err
		}
		for _, t := range ds.Traces {
			t.ID = f.Label + "/" + t.ID
			traces = append(traces, t)
		}
	}
	rep.Read = len(traces)
	ds, err := traffic.NewDataset("netshare", traces, nil, def)
	return ds, rep, err
}

// GretelOptions configure the readers of gretel-synthetics DGAN output frames written as CSV
// (DGAN.generate_dataframe(...).to_csv(path)).
type GretelOptions struct {
	// LabelColumn holds the class (a categorical attribute of the DGAN model). Required.
	LabelColumn string
	// FeatureColumns are the time steps of a wide frame in order; nil takes every column that is
	// not the label, an AttributeColumns entry or pandas' index column.
	FeatureColumns []string
	// AttributeColumns are further attribute columns of a wide frame, ignored.
	AttributeColumns []string
	// ExampleIDColumn and TimeColumn (optional) identify the rows of one series in a long frame;
	// FeatureColumn is the feature read from it. Defaults: "example_id", "", and required.
	ExampleIDColumn, TimeColumn, FeatureColumn string
	// Step is the seconds between steps of the series (0 when not time based).
	Step float64
	// Classes fixes the class order; nil: the sorted labels.
	Classes []string
}

// ImportGretelWide reads a wide DGAN frame: one row per series, attribute columns and one column per
// time step (gretel's DfStyle.WIDE). Rows with a missing or non-finite value are reported and
// skipped.
func ImportGretelWide(path string, opt GretelOptions) (*traffic.Dataset, traffic.Report, error) {
	var rep traffic.Report
	rows, header, err := readCSV(path)
	if err != nil {
		return nil, rep, err
	}
	label, err := column(path, header, opt.LabelColumn, "label")
	if err != nil {
		return nil, rep, err
	}
	feats, err := wideFeatures(path, header, opt)
	if err != nil {
		return nil, rep, err
	}
	var traces []traffic.Trace
	for i, rec := range rows {
		line := i + 2
		v, msg := parseValues(rec, feats, header)
		if msg == "" && (label >= len(rec) || rec[label] == "") {
			msg = "no label"
		}
		if msg != "" {
			rep.Add(path, line, "row "+strconv.Itoa(line), msg+": series skipped")
			continue
		}
		traces = append(traces, traffic.Trace{ID: fmt.Sprintf("row-%d", line), Label: rec[label], Values: v, Step: opt.Step})
	}
	return gretelDataset(path, traces, len(feats), opt, rep)
}

func wideFeatures(path string, header []string, opt GretelOptions) ([]int, error) {
	if opt.FeatureColumns != nil {
		out := make([]int, len(opt.FeatureColumns))
		for i, name := range opt.FeatureColumns {
			c, err := column(path, header, name, "feature")
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	}
	skip := map[string]bool{strings.ToLower(opt.LabelColumn): true, "": true, "unnamed: 0": true}
	for _, a := range opt.AttributeColumns {
		skip[strings.ToLower(a)] = true
	}
	var out []int
	for i, h := range header {
		if !skip[h] {
			out = append(out, i)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s:1: no feature columns besides the label and attributes (header %q)", path, header)
	}
	return out, nil
}

func parseValues(rec []string, cols []int, header []string) ([]float64, string) {
	v := make([]float64, len(cols))
	for k, c := range cols {
		if c >= len(rec) {
			return nil, fmt.Sprintf("row has %d fields, column %q is field %d", len(rec), header[c], c+1)
		}
		x, err := strconv.ParseFloat(strings.TrimSpace(rec[c]), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Sprintf("column %q: %q is not a finite number", header[c], rec[c])
		}
		v[k] = x
	}
	return v, ""
}

// ImportGretelLong reads a long DGAN frame: one row per time step with the example id, an optional
// time column, the attributes and the features (gretel's DfStyle.LONG). Rows of a series are ordered
// by the time column when there is one (numbers or RFC 3339 / YYYY-MM-DD dates), else by file order.
// A series whose label changes between rows, or with a bad value, is reported and skipped; series of
// different lengths are kept (the default feature pads or truncates them to the longest).
func ImportGretelLong(path string, opt GretelOptions) (*traffic.Dataset, traffic.Report, error) {
	var rep traffic.Report
	rows, header, err := readCSV(path)
	if err != nil {
		return nil, rep, err
	}
	if opt.ExampleIDColumn == "" {
		opt.ExampleIDColumn = "example_id"
	}
	id, err := column(path, header, opt.ExampleIDColumn, "example id")
	if err != nil {
		return nil, rep, err
	}
	label, err := column(path, header, opt.LabelColumn, "label")
	if err != nil {
		return nil, rep, err
	}
	feat, err := column(path, header, opt.FeatureColumn, "feature")
	if err != nil {
		return nil, rep, err
	}
	tcol := -1
	if opt.TimeColumn != "" {
		if tcol, err = column(path, header, opt.TimeColumn, "time"); err != nil {
			return nil, rep, err
		}
	}
	type step struct{ t, v float64 }
	type series struct {
		label string
		steps []step
		bad   string
	}
	index := map[string]*series{}
	var order []string
	for i, rec := range rows {
		line := i + 2
		need := max(id, label, feat, tcol)
		if need >= len(rec) {
			rep.Add(path, line, "row "+strconv.Itoa(line), fmt.Sprintf("row has %d fields, want at least %d: row skipped", len(rec), need+1))
			continue
		}
		s := index[rec[id]]
		if s == nil {
			s = &series{label: rec[label]}
			index[rec[id]] = s
			order = append(order, rec[id])
		}
		if s.bad != "" {
			continue
		}
		v, msg := parseValues(rec, []int{feat}, header)
		t := float64(len(s.steps))
		if msg == "" && tcol >= 0 {
			if t, err = parseTime(rec[tcol]); err != nil {
				msg = fmt.Sprintf("column %q: %v", header[tcol], err)
			}
		}
		if msg == "" && rec[label] != s.label {
			msg = fmt.Sprintf("label changes from %q to %q", s.label, rec[label])
		}
		if msg != "" {
			s.bad = fmt.Sprintf("line %d: %s", line, msg)
			continue
		}
		s.steps = append(s.steps, step{t, v[0]})
	}
	var traces []traffic.Trace
	longest := 0
	for _, key := range order {
		s := index[key]
		if s.bad != "" || s.label == "" {
			rep.Add(path, 0, "example "+key, orElse(s.bad, "no label")+": series skipped")
			continue
		}
		sort.SliceStable(s.steps, func(a, b int) bool { return s.steps[a].t < s.steps[b].t })
		v := make([]float64, len(s.steps))
		for k, st := range s.steps {
			v[k] = st.v
		}
		longest = max(longest, len(v))
		traces = append(traces, traffic.Trace{ID: "example " + key, Label: s.label, Values: v, Step: opt.Step})
	}
	return gretelDataset(path, traces, longest, opt, rep)
}

func orElse(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func parseTime(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if x, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(x) && !math.IsInf(x, 0) {
		return x, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return float64(t.UnixNano()) / 1e9, nil
		}
	}
	return 0, fmt.Errorf("%q is neither a number nor a date", s)
}

func gretelDataset(path string, traces []traffic.Trace, length int, opt GretelOptions, rep traffic.Report) (*traffic.Dataset, traffic.Report, error) {
	rep.Read = len(traces)
	if len(traces) == 0 {
		return nil, rep, fmt.Errorf("%s: no usable series (%d skipped)", path, len(rep.Skipped))
	}
	ds, err := traffic.NewDataset(filepath.Base(path), traces, opt.Classes, traffic.Feature{Kind: traffic.Values, Length: length})
	if err != nil {
		return nil, rep, fmt.Errorf("%s: %w", path, err)
	}
	return ds, rep, nil
}

// readCSV reads a whole CSV (header lower-cased and trimmed).
func readCSV(path string) ([][]string, []string, error) {
	f, err := infile.Open(path, infile.MaxCSV)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	h, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, fmt.Errorf("%s: empty file, expected a header line", path)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%s:1: header: %w", path, err)
	}
	header := make([]string, len(h))
	for i, s := range h {
		header[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
	}
	var rows [][]string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		rows = append(rows, rec)
	}
	return rows, header, nil
}

func column(path string, header []string, name, role string) (int, error) {
	if name == "" {
		return 0, fmt.Errorf("%s: no %s column named in the options", path, role)
	}
	for i, h := range header {
		if h == strings.ToLower(name) {
			return i, nil
		}
	}
	return 0, fmt.Errorf("%s:1: header has no %s column %q (it has %q)", path, role, name, header)
}

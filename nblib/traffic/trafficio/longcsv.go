package trafficio

import (
	"fmt"
	"path/filepath"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// LongOptions configure ReadLongCSV.
type LongOptions struct {
	Options
	// Feature becomes the dataset's default feature (zero value: signed
	// sizes over 300 packets).
	Feature traffic.Feature
}

// ReadLongCSV reads one CSV with columns trace,label,time,size,direction and
// an optional group, one packet per row. Rows of a trace need not be
// contiguous; traces keep the order of their first row. A row whose label
// or group differs from the trace's first row is reported and skipped.
// Progress counts bytes.
func ReadLongCSV(path string, opt LongOptions) (*traffic.Dataset, traffic.Report, error) {
	var rep traffic.Report
	c, err := openCSV(path, ',')
	if err != nil {
		return nil, rep, err
	}
	defer c.Close()
	cols, err := c.columns("trace", "label", "time", "size", "direction", "group?")
	if err != nil {
		return nil, rep, err
	}
	index := map[string]int{}
	var traces []traffic.Trace
	err = c.eachRow(path, opt.Options, &rep, 4096, func(rec []string, line int) error {
		id, label, group := field(rec, cols[0]), field(rec, cols[1]), field(rec, cols[5])
		if id == "" || label == "" {
			return opt.rowProblem(&rep, path, line, id, "row without trace id or label")
		}
		i, ok := index[id]
		if !ok {
			i = len(traces)
			index[id] = i
			traces = append(traces, traffic.Trace{ID: id, Label: label, Group: group})
		}
		t := &traces[i]
		if t.Label != label || t.Group != group {
			msg := fmt.Sprintf("label/group %q/%q differs from the trace's first row %q/%q", label, group, t.Label, t.Group)
			return opt.rowProblem(&rep, path, line, id, msg)
		}
		return handleRow(nil, line, rec, cols[2:5], path, id, opt.Options, &rep, t)
	})
	if err != nil {
		return nil, rep, err
	}
	kept := traces[:0]
	for i := range traces {
		if finishTrace(&rep, path, &traces[i], opt.KeepOrder) {
			kept = append(kept, traces[i])
		}
	}
	return newDataset(filepath.Base(path), kept, opt.Feature, rep)
}

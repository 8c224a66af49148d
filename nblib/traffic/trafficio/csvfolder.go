package trafficio

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// FolderOptions configure ReadCSVFolder.
type FolderOptions struct {
	Options
	// Labels is the labels file; "labels.csv" inside the folder when empty.
	Labels string
	// Feature becomes the dataset's default feature (zero value: signed
	// sizes over 300 packets, as D3).
	Feature traffic.Feature
}

// readFolderLabels reads the labels file of a folder of per-trace files (labels, or dir/labels.csv when
// empty) and reports the files with one of exts that it does not list. It returns the labels, the labels
// file's path and the report, whose Read count is left for the trace reader.
func readFolderLabels(dir, labels string, opt Options, exts ...string) ([]LabelEntry, string, traffic.Report, error) {
	if labels == "" {
		labels = filepath.Join(dir, "labels.csv")
	}
	entries, rep, err := ReadLabels(labels, opt)
	if err != nil {
		return nil, labels, rep, err
	}
	rep.Read = 0
	kept := entries[:0]
	for _, e := range entries {
		if _, err := confine(dir, e.File); err != nil {
			if err := opt.rowProblem(&rep, labels, e.Line, "", err.Error()); err != nil {
				return nil, labels, rep, err
			}
			continue
		}
		kept = append(kept, e)
	}
	err = unlabelledFiles(&rep, dir, kept, exts, filepath.Base(labels))
	return kept, labels, rep, err
}

// ReadCSVFolder reads one trace per CSV file in dir, in the order of the
// labels file. Each file needs a header naming time, size and direction
// (case-insensitive; other columns, such as an unnamed index, are ignored).
// Progress counts files.
func ReadCSVFolder(dir string, opt FolderOptions) (*traffic.Dataset, traffic.Report, error) {
	labels, _, rep, err := readFolderLabels(dir, opt.Labels, opt.Options, ".csv")
	if err != nil {
		return nil, rep, err
	}
	var traces []traffic.Trace
	for i, e := range labels {
		opt.progress(int64(i), int64(len(labels)))
		t, err := readTraceCSV(filepath.Join(dir, e.File), e, opt.Options, &rep)
		if err != nil {
			return nil, rep, err
		}
		if t != nil {
			traces = append(traces, *t)
		}
	}
	opt.progress(int64(len(labels)), int64(len(labels)))
	return newDataset(filepath.Base(dir), traces, opt.Feature, rep)
}

// readTraceCSV reads one per-trace file; a missing file is reported, not an
// error, so one lost file does not stop a whole dataset.
func readTraceCSV(path string, e LabelEntry, opt Options, rep *traffic.Report) (*traffic.Trace, error) {
	c, err := openCSV(path, ',')
	if err != nil {
		if err := opt.rowProblem(rep, path, 0, e.File, fmt.Sprintf("cannot read trace file listed on line %d of the labels file: %v", e.Line, err)); err != nil {
			return nil, err
		}
		return nil, nil
	}
	defer c.Close()
	cols, err := c.columns("time", "size", "direction")
	if err != nil {
		return nil, err
	}
	t := &traffic.Trace{ID: e.traceID(), Label: e.Label, Group: e.Group}
	for {
		rec, line, err := c.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err := handleRow(err, line, rec, cols, path, e.File, opt, rep, t); err != nil {
			return nil, err
		}
	}
	if !finishTrace(rep, path, t, opt.KeepOrder) {
		return nil, nil
	}
	return t, nil
}

// handleRow turns one CSV row into a packet of t, or records why not.
func handleRow(readErr error, line int, rec []string, cols []int, path, item string, opt Options, rep *traffic.Report, t *traffic.Trace) error {
	var re *RowError
	if errors.As(readErr, &re) {
		return opt.rowProblem(rep, path, re.Line, item, re.Msg)
	}
	if readErr != nil {
		return fmt.Errorf("%s: %w", path, readErr)
	}
	p, err := parsePacket(rec, cols)
	if err != nil {
		return opt.rowProblem(rep, path, line, item, err.Error())
	}
	t.Packets = append(t.Packets, p)
	return nil
}

// newDataset makes the dataset of the traces a reader kept, counting them in rep; feature becomes its
// default feature (zero value: signed packet sizes of the first 300 packets).
func newDataset(name string, traces []traffic.Trace, feature traffic.Feature, rep traffic.Report) (*traffic.Dataset, traffic.Report, error) {
	rep.Read = len(traces)
	if feature.Length == 0 {
		feature = traffic.PacketFeature(traffic.SignedSizes, 300)
	}
	ds, err := traffic.NewDataset(name, traces, nil, feature)
	return ds, rep, err
}

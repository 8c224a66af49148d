package trafficio

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"codeberg.org/sbinet/npyio/npz"
	"gonum.org/v1/gonum/mat"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// WriteLongCSV writes the packet traces of ds as one CSV with columns
// trace,label,time,size,direction,group (ReadLongCSV's layout). Ready-series
// traces have no packets and are an error naming the trace.
func WriteLongCSV(path string, ds *traffic.Dataset) error {
	if err := needPackets(path, ds); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	w := csv.NewWriter(bw)
	w.Write([]string{"trace", "label", "time", "size", "direction", "group"})
	for _, t := range ds.Traces {
		for _, p := range t.Packets {
			w.Write([]string{t.ID, t.Label, formatFloat(p.Time), formatFloat(p.Size), strconv.Itoa(int(p.Dir)), t.Group})
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// WriteCSVFolder writes one CSV per packet trace (columns time,size,direction)
// and labels.csv (file,label,group) into dir, creating it. File names come
// from trace IDs, made safe for file systems, with ".csv" appended when
// missing.
func WriteCSVFolder(dir string, ds *traffic.Dataset) error {
	if err := needPackets(dir, ds); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	labels := [][]string{{"file", "label", "group"}}
	for _, t := range ds.Traces {
		name := safeFileName(t.ID)
		if err := writeTraceCSV(filepath.Join(dir, name), t.Packets); err != nil {
			return err
		}
		labels = append(labels, []string{name, t.Label, t.Group})
	}
	return writeCSVRows(filepath.Join(dir, "labels.csv"), labels)
}

// needPackets checks, before anything is written, that every trace has
// packets: the CSV layouts cannot hold ready series.
func needPackets(path string, ds *traffic.Dataset) error {
	for _, t := range ds.Traces {
		if t.Packets == nil {
			return fmt.Errorf("%s: trace %q is a ready series without packets, which the CSV layouts cannot hold; write NPZ instead (WriteNPZ, netdiffus data -to npz)", path, t.ID)
		}
	}
	return nil
}

func safeFileName(id string) string {
	r := strings.NewReplacer("/", "_", "\\", "_", ":", "_", " ", "_")
	name := r.Replace(id)
	if !strings.HasSuffix(strings.ToLower(name), ".csv") {
		name += ".csv"
	}
	return name
}

func writeTraceCSV(path string, p []traffic.Packet) error {
	rows := make([][]string, 0, len(p)+1)
	rows = append(rows, []string{"time", "size", "direction"})
	for _, q := range p {
		rows = append(rows, []string{formatFloat(q.Time), formatFloat(q.Size), strconv.Itoa(int(q.Dir))})
	}
	return writeCSVRows(path, rows)
}

func writeCSVRows(path string, rows [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	if err := w.WriteAll(rows); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}

// WriteNPZ writes feature f of every trace as x (N, L) float64 and the class
// indices as y (N) int64, plus classes: the class names joined by newlines,
// as uint8 bytes (read them back with ReadNPZClasses).
func WriteNPZ(path string, ds *traffic.Dataset, f traffic.Feature) error {
	series, err := ds.Series(f)
	if err != nil {
		return err
	}
	x := make([]float64, 0, len(series)*f.Length)
	for _, s := range series {
		x = append(x, s...)
	}
	y := make([]int64, len(ds.Traces))
	for i, t := range ds.Traces {
		y[i] = int64(t.Class)
	}
	w, err := npz.Create(path)
	if err != nil {
		return err
	}
	if err := writeNPZArrays(w, x, len(series), f.Length, y, []byte(strings.Join(ds.Classes, "\n"))); err != nil {
		w.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return w.Close()
}

func writeNPZArrays(w *npz.Writer, x []float64, n, l int, y []int64, classes []byte) error {
	if n == 0 || l == 0 {
		return fmt.Errorf("nothing to write: %d series of length %d", n, l)
	}
	if err := w.Write("x", mat.NewDense(n, l, x)); err != nil {
		return err
	}
	if err := w.Write("y", y); err != nil {
		return err
	}
	return w.Write("classes", classes)
}

// ReadNPZClasses returns the class names WriteNPZ stored in path, or nil
// when the archive has none.
func ReadNPZClasses(path string) ([]string, error) {
	r, err := npz.Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	name := "classes"
	if r.Header(name) == nil {
		name += ".npy"
	}
	if r.Header(name) == nil {
		return nil, nil
	}
	var b []uint8
	if err := r.Read(name, &b); err != nil {
		return nil, fmt.Errorf("%s: classes: %w", path, err)
	}
	return strings.Split(string(b), "\n"), nil
}

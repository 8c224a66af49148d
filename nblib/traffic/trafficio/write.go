package trafficio

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/netdiffus/netdiffus/internal/atomicfile"
	"github.com/netdiffus/netdiffus/internal/npy"
	"github.com/netdiffus/netdiffus/nblib/traffic"
)

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// WriteLongCSV writes the packet traces of ds as one CSV with columns
// trace,label,time,size,direction,group (ReadLongCSV's layout), atomically.
// Ready-series traces have no packets and are an error naming the trace, as
// is a packet outside the readers' domain (non-finite or |time| > MaxTime,
// size < 0 or > MaxSize), so everything written reads back unchanged.
func WriteLongCSV(path string, ds *traffic.Dataset) error {
	if err := needPackets(path, ds); err != nil {
		return err
	}
	return atomicfile.Write(path, func(out io.Writer) error {
		bw := bufio.NewWriterSize(out, 1<<16)
		w := csv.NewWriter(bw)
		w.Write([]string{"trace", "label", "time", "size", "direction", "group"})
		for _, t := range ds.Traces {
			for _, p := range t.Packets {
				w.Write([]string{t.ID, t.Label, formatFloat(p.Time), formatFloat(p.Size), strconv.Itoa(int(p.Dir)), t.Group})
			}
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return err
		}
		return bw.Flush()
	})
}

// LabelsFile is the name of the labels file of a CSV or capture folder.
const LabelsFile = "labels.csv"

// WriteCSVFolder writes one CSV per packet trace (columns time,size,direction)
// and labels.csv (file,label,group,trace) into dir, creating it; each file is
// written atomically. File names come from trace IDs by TraceFileName, which
// is injective; two IDs that would still collide on a case-insensitive file
// system are an error before anything is written. The trace column keeps the
// exact ID, so ReadCSVFolder gives back the same traces.
func WriteCSVFolder(dir string, ds *traffic.Dataset) error {
	if err := needPackets(dir, ds); err != nil {
		return err
	}
	names := make([]string, len(ds.Traces))
	owner := map[string]string{strings.ToLower(LabelsFile): "the labels file"}
	for i, t := range ds.Traces {
		if t.ID == "" {
			return fmt.Errorf("%s: trace %d has an empty id; give every trace an id", dir, i)
		}
		names[i] = TraceFileName(t.ID)
		key := strings.ToLower(names[i])
		if prev, dup := owner[key]; dup {
			return fmt.Errorf("%s: trace ids %q and %s both map to the file name %q (case-insensitively); rename one", dir, t.ID, prev, names[i])
		}
		owner[key] = strconv.Quote(t.ID)
	}
	labels := [][]string{{"file", "label", "group", "trace"}}
	for i, t := range ds.Traces {
		if err := writeTraceCSV(filepath.Join(dir, names[i]), t.Packets); err != nil {
			return err
		}
		labels = append(labels, []string{names[i], t.Label, t.Group, t.ID})
	}
	return writeCSVRows(filepath.Join(dir, LabelsFile), labels)
}

// needPackets checks, before anything is written, that every trace has
// packets in the readers' domain (the CSV layouts cannot hold ready series)
// and an id, label and group that the readers give back unchanged.
func needPackets(path string, ds *traffic.Dataset) error {
	for _, t := range ds.Traces {
		for _, f := range [][2]string{{"id", t.ID}, {"label", t.Label}, {"group", t.Group}} {
			if strings.TrimSpace(f[1]) != f[1] || (f[1] == "" && f[0] != "group") {
				return fmt.Errorf("%s: trace %q has %s %q, empty or with surrounding white space, which the CSV readers trim; nothing written", path, t.ID, f[0], f[1])
			}
		}
		if t.Packets == nil {
			return fmt.Errorf("%s: trace %q is a ready series without packets, which the CSV layouts cannot hold; write NPZ instead (WriteNPZ, netdiffus data -to npz)", path, t.ID)
		}
		for j, p := range t.Packets {
			if msg := packetDomain(p.Time, p.Size); msg != "" {
				return fmt.Errorf("%s: trace %q packet %d: %s; nothing written", path, t.ID, j, msg)
			}
		}
	}
	return nil
}

// TraceFileName maps a trace id to a file name injectively: bytes other than
// ASCII letters, digits, '.', '-' and '_' are written as %XX (so "a/b" becomes
// "a%2Fb" and never meets "a_b"; a leading '.' is escaped too), ".csv" is
// always appended ("x.csv" becomes "x.csv.csv", so it never meets "x"), and
// the name of the labels file gets its first byte escaped ("labels" becomes
// "%6Cabels.csv"). The trace column of labels.csv keeps the exact id.
func TraceFileName(id string) string {
	var b strings.Builder
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || (c == '.' && i > 0) {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	name := b.String() + ".csv"
	if strings.EqualFold(name, LabelsFile) {
		name = fmt.Sprintf("%%%02X", name[0]) + name[1:]
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
	return atomicfile.Write(path, func(out io.Writer) error {
		bw := bufio.NewWriterSize(out, 1<<16)
		w := csv.NewWriter(bw)
		if err := w.WriteAll(rows); err != nil {
			return err
		}
		return bw.Flush()
	})
}

// WriteNPZ writes feature f of every trace as x (N, L) float64 and the class
// indices as y (N) int64, plus classes: the class names joined by newlines,
// as uint8 bytes (read them back with ReadNPZClasses). The archive is written
// atomically; a non-finite value, or a class name containing a newline, is
// an error naming the trace or class.
func WriteNPZ(path string, ds *traffic.Dataset, f traffic.Feature) error {
	series, err := ds.Series(f)
	if err != nil {
		return err
	}
	if len(series) == 0 || f.Length == 0 {
		return fmt.Errorf("%s: nothing to write: %d series of length %d", path, len(series), f.Length)
	}
	x := make([]float64, 0, len(series)*f.Length)
	for i, s := range series {
		for j, v := range s {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("%s: trace %q value %d of feature %v is %v; nothing written", path, ds.Traces[i].ID, j, f, v)
			}
		}
		x = append(x, s...)
	}
	for _, c := range ds.Classes {
		if strings.Contains(c, "\n") || c == "" {
			return fmt.Errorf("%s: class name %q is empty or contains a newline, which the classes array cannot hold", path, c)
		}
	}
	y := make([]int64, len(ds.Traces))
	for i, t := range ds.Traces {
		y[i] = int64(t.Class)
	}
	w, err := npy.CreateNPZ(path)
	if err != nil {
		return err
	}
	w.Add("x", x, len(series), f.Length)
	w.Add("y", y)
	w.Add("classes", []byte(strings.Join(ds.Classes, "\n")))
	return w.Commit()
}

// ReadNPZClasses returns the class names WriteNPZ stored in path, or nil
// when the archive has none.
func ReadNPZClasses(path string) ([]string, error) {
	r, err := npy.OpenNPZ(path, npy.Limits{})
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if !r.Has("classes") {
		return nil, nil
	}
	a, err := r.Read("classes")
	if err != nil {
		return nil, err
	}
	if a.Kind != 'u' || a.ItemSize != 1 || len(a.Shape) != 1 {
		return nil, fmt.Errorf("%s: array \"classes\" is %s of shape %v; want uint8 bytes (N,)", path, a.Descr, a.Shape)
	}
	names := strings.Split(string(a.Raw), "\n")
	seen := map[string]int{}
	for i, c := range names {
		if err := traffic.CheckClassName(c); err != nil {
			return nil, fmt.Errorf("%s: array \"classes\", name %d of %d: %w", path, i+1, len(names), err)
		}
		if j, dup := seen[c]; dup {
			return nil, fmt.Errorf("%s: array \"classes\" names class %q twice (names %d and %d)", path, c, j+1, i+1)
		}
		seen[c] = i
	}
	return names, nil
}

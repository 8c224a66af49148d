package trafficio

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/netdiffus/netdiffus/internal/infile"
	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// Progress is called with the amount of work done and the total (bytes or
// files, as each reader documents). It may be nil.
type Progress func(done, total int64)

// Options are the settings every reader shares.
type Options struct {
	// Strict turns the first malformed row into an error instead of a
	// report entry.
	Strict bool
	// Progress, when set, follows the reader through its input.
	Progress Progress
	// KeepOrder leaves packets whose timestamps go backwards in file order
	// (still reported); by default such a trace is sorted by time.
	KeepOrder bool
}

// RowError is a malformed input row: file, 1-based line and what is wrong.
type RowError struct {
	File string
	Line int
	Msg  string
}

// Error formats the problem as "file:line: message".
func (e *RowError) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// rowProblem records a malformed row in rep, or returns it as an error in
// strict mode.
func (o Options) rowProblem(rep *traffic.Report, file string, line int, item, msg string) error {
	if o.Strict {
		return &RowError{File: file, Line: line, Msg: msg + " (fix the row, or drop Strict to skip it)"}
	}
	rep.Add(file, line, item, msg)
	return nil
}

func (o Options) progress(done, total int64) {
	if o.Progress != nil {
		o.Progress(done, total)
	}
}

// countingReader counts bytes read, for progress reports.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// csvFile is an open CSV file with its header, read row by row.
type csvFile struct {
	name   string
	f      *infile.File
	count  *countingReader
	size   int64
	r      *csv.Reader
	header []string
}

// openCSV opens a data CSV file (regular files of at most infile.MaxCSV bytes) and reads its header.
func openCSV(path string, comma rune) (*csvFile, error) {
	return openCSVLimit(path, comma, infile.MaxCSV)
}

func openCSVLimit(path string, comma rune, limit int64) (*csvFile, error) {
	f, err := infile.Open(path, limit)
	if err != nil {
		return nil, err
	}
	c := &countingReader{r: f}
	r := csv.NewReader(c)
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	r.TrimLeadingSpace = true
	h, err := r.Read()
	if err != nil {
		f.Close()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty file, expected a header line", path)
		}
		return nil, fmt.Errorf("%s:1: header: %w", path, err)
	}
	header := make([]string, len(h))
	for i, s := range h {
		header[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
	}
	return &csvFile{name: path, f: f, count: c, size: f.Size, r: r, header: header}, nil
}

func (c *csvFile) Close() error { return c.f.Close() }

// columns returns the index of each wanted column; a name ending in "?" is
// optional (index -1 when absent). Missing required columns are an error
// listing what the header has.
func (c *csvFile) columns(names ...string) ([]int, error) {
	out := make([]int, len(names))
	for i, n := range names {
		opt := strings.HasSuffix(n, "?")
		n = strings.TrimSuffix(n, "?")
		out[i] = -1
		for j, h := range c.header {
			if h != n {
				continue
			}
			if out[i] >= 0 {
				return nil, fmt.Errorf("%s:1: header names the column %q twice (columns %d and %d); keep one", c.name, n, out[i]+1, j+1)
			}
			out[i] = j
		}
		if out[i] < 0 && !opt {
			return nil, fmt.Errorf("%s:1: header has no %q column (it has %q); expected columns %v", c.name, n, c.header, names)
		}
	}
	return out, nil
}

// next reads the next row and its line; io.EOF at the end. A parse error is
// returned as a *RowError so callers can skip it.
// eachRow calls fn with every row of c and its line number until the end of the file, reporting progress
// every `every` rows and at the end. A row the CSV reader cannot split is recorded in rep (or ends the read
// under Strict); any other read error, or an error from fn, ends it.
func (c *csvFile) eachRow(path string, opt Options, rep *traffic.Report, every int, fn func(rec []string, line int) error) error {
	for n := 0; ; n++ {
		rec, line, err := c.next()
		if errors.Is(err, io.EOF) {
			opt.progress(c.size, c.size)
			return nil
		}
		if n%every == 0 {
			opt.progress(c.count.n, c.size)
		}
		if err != nil {
			if err := rowReadProblem(err, path, opt, rep); err != nil {
				return err
			}
			continue
		}
		if err := fn(rec, line); err != nil {
			return err
		}
	}
}

func (c *csvFile) next() ([]string, int, error) {
	rec, err := c.r.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, pe.Line, &RowError{File: c.name, Line: pe.Line, Msg: pe.Err.Error()}
		}
		return nil, 0, err
	}
	line, _ := c.r.FieldPos(0)
	return rec, line, nil
}

// field returns column i of rec, or "" when the row is too short or i < 0.
func field(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

func parseFloat(rec []string, i int, name string) (float64, error) {
	s := field(rec, i)
	if s == "" {
		return 0, fmt.Errorf("missing %s", name)
	}
	v, err := strconv.ParseFloat(s, 64)
	if errors.Is(err, strconv.ErrRange) && math.Abs(v) > 1 {
		return 0, fmt.Errorf("%s %q is not a finite number", name, s)
	}
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("%s %q is not a number", name, s)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%s %q is not a finite number", name, s)
	}
	return v, nil
}

// The readers' domain for packet (and flow record) values: anything outside is
// reported and skipped, never kept. MaxTime allows Unix times in seconds or
// microseconds (NetShare) with ample room; MaxSize is far above any packet or
// flow's bytes.
const (
	MaxTime = 1e16
	MaxSize = 1e15
)

// packetDomain returns why a packet's time and size are out of the domain, or "".
func packetDomain(t, size float64) string {
	switch {
	case math.IsNaN(t) || math.IsInf(t, 0) || math.Abs(t) > MaxTime:
		return fmt.Sprintf("time %g is not a finite number within ±%g", t, float64(MaxTime))
	case math.IsNaN(size) || math.IsInf(size, 0) || size > MaxSize:
		return fmt.Sprintf("size %g is not a finite number within [0, %g]", size, float64(MaxSize))
	case size < 0:
		return fmt.Sprintf("size %g is negative", size)
	}
	return ""
}

// parseDirection accepts any number: > 0 is Up, < 0 is Down; 0 is an error.
func parseDirection(rec []string, i int) (traffic.Direction, error) {
	v, err := parseFloat(rec, i, "direction")
	if err != nil {
		return 0, err
	}
	switch {
	case v > 0:
		return traffic.Up, nil
	case v < 0:
		return traffic.Down, nil
	}
	return 0, fmt.Errorf("direction is 0; use +1 (uplink) or -1 (downlink)")
}

// parsePacket reads time, size and direction from the given columns.
func parsePacket(rec []string, cols []int) (traffic.Packet, error) {
	t, err := parseFloat(rec, cols[0], "time")
	if err != nil {
		return traffic.Packet{}, err
	}
	s, err := parseFloat(rec, cols[1], "size")
	if err != nil {
		return traffic.Packet{}, err
	}
	if msg := packetDomain(t, s); msg != "" {
		return traffic.Packet{}, errors.New(msg)
	}
	d, err := parseDirection(rec, cols[2])
	if err != nil {
		return traffic.Packet{}, err
	}
	return traffic.Packet{Time: t, Size: s, Dir: d}, nil
}

// finishTrace sorts out-of-order packets (recording the repair) and reports
// whether the trace has any packets (recording an empty one).
func finishTrace(rep *traffic.Report, file string, t *traffic.Trace, keepOrder bool) bool {
	if len(t.Packets) == 0 {
		rep.Add(file, 0, t.ID, "empty trace: no valid packets, trace skipped")
		return false
	}
	n := backwards(t.Packets)
	switch {
	case n > 0 && keepOrder:
		rep.Add(file, 0, t.ID, "timestamps not monotonic: packets kept in file order (KeepOrder)")
	case n > 0:
		sort.SliceStable(t.Packets, func(i, j int) bool { return t.Packets[i].Time < t.Packets[j].Time })
		rep.Add(file, 0, t.ID, "timestamps not monotonic: packets sorted by time")
	}
	return true
}

// backwards counts packets earlier than their predecessor.
func backwards(p []traffic.Packet) int {
	n := 0
	for i := 1; i < len(p); i++ {
		if p[i].Time < p[i-1].Time {
			n++
		}
	}
	return n
}

// LabelEntry is one row of a labels file.
type LabelEntry struct {
	File, Label, Group string
	// ID is the trace id from an optional column named "trace" (written by
	// WriteCSVFolder); empty when absent, and the trace is then named File.
	ID   string
	Line int
}

// traceID is the id a folder reader gives the entry's trace.
func (e LabelEntry) traceID() string { return orDefault(e.ID, e.File) }

// ReadLabels reads a labels CSV with a header whose first column names the
// file, second the label and optional third the group (any header names,
// e.g. file,label,capture_set), and an optional column named "trace" holding
// the trace id. Rows without a file or label are reported; a file listed
// twice is an error. Folder readers also confine each file to the folder
// (see confine).
func ReadLabels(path string, opt Options) ([]LabelEntry, traffic.Report, error) {
	var rep traffic.Report
	c, err := openCSVLimit(path, ',', infile.MaxLabels)
	if err != nil {
		return nil, rep, err
	}
	defer c.Close()
	if len(c.header) < 2 {
		return nil, rep, fmt.Errorf("%s:1: labels header %q needs at least file,label[,group]", path, c.header)
	}
	idCol := -1
	for j, h := range c.header {
		if j >= 3 && h == "trace" {
			idCol = j
		}
	}
	seen := map[string]int{}
	var out []LabelEntry
	for {
		rec, line, err := c.next()
		if errors.Is(err, io.EOF) {
			break
		}
		var re *RowError
		if errors.As(err, &re) {
			if err := opt.rowProblem(&rep, path, re.Line, "", re.Msg); err != nil {
				return nil, rep, err
			}
			continue
		}
		if err != nil {
			return nil, rep, fmt.Errorf("%s: %w", path, err)
		}
		e := LabelEntry{File: field(rec, 0), Label: field(rec, 1), Group: field(rec, 2), ID: field(rec, idCol), Line: line}
		if e.File == "" || e.Label == "" {
			if err := opt.rowProblem(&rep, path, line, e.File, "row without file or label"); err != nil {
				return nil, rep, err
			}
			continue
		}
		if prev, dup := seen[e.File]; dup {
			return nil, rep, fmt.Errorf("%s:%d: file %q already labelled on line %d; keep one label per file", path, line, e.File, prev)
		}
		seen[e.File] = line
		out = append(out, e)
	}
	rep.Read = len(out)
	return out, rep, nil
}

// confine returns dir/name when name is a local path (no "..", not absolute,
// not empty) that, with symbolic links resolved, stays inside dir; otherwise
// an error that names only the entry, never content of what it points to.
func confine(dir, name string) (string, error) {
	if !filepath.IsLocal(name) {
		return "", fmt.Errorf("file %q is not a path inside the folder: entry skipped", name)
	}
	p := filepath.Join(dir, name)
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return p, nil // a missing file is reported by the reader that opens it
	}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(root, real)
	if err != nil || !filepath.IsLocal(rel) {
		return "", fmt.Errorf("file %q resolves (through a symbolic link) outside the folder: entry skipped", name)
	}
	return p, nil
}

// unlabelledFiles reports files in dir matching ext that labels do not list.
func unlabelledFiles(rep *traffic.Report, dir string, labels []LabelEntry, exts []string, except string) error {
	listed := map[string]bool{}
	for _, e := range labels {
		listed[e.File] = true
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		name := e.Name()
		if e.IsDir() || listed[name] || name == except || !hasExt(name, exts) {
			continue
		}
		rep.Add(filepath.Join(dir, name), 0, name, "file not listed in the labels file: skipped (add a row file,label to use it)")
	}
	return nil
}

func hasExt(name string, exts []string) bool {
	l := strings.ToLower(name)
	for _, e := range exts {
		if strings.HasSuffix(l, e) {
			return true
		}
	}
	return false
}

package trafficio

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"time"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// WikiPage is the metadata encoded in a Wikipedia Web Traffic page name
// "<title>_<domain>_<access>_<agent>".
type WikiPage struct {
	Title, Domain, Access, Agent string
}

// WikiAccessTypes are the access types of the WWT data, the WW classes.
var WikiAccessTypes = []string{"all-access", "desktop", "mobile-web"}

// ParseWikiPage splits a page name from the right; the title may contain
// underscores. Unknown access or agent values are an error.
func ParseWikiPage(name string) (WikiPage, error) {
	parts := strings.Split(name, "_")
	if len(parts) < 4 {
		return WikiPage{}, fmt.Errorf("page %q is not <title>_<domain>_<access>_<agent>", name)
	}
	k := len(parts)
	p := WikiPage{Title: strings.Join(parts[:k-3], "_"), Domain: parts[k-3], Access: parts[k-2], Agent: parts[k-1]}
	if !contains(WikiAccessTypes, p.Access) {
		return p, fmt.Errorf("page %q: access %q is not one of %v", name, p.Access, WikiAccessTypes)
	}
	if p.Agent != "all-agents" && p.Agent != "spider" {
		return p, fmt.Errorf("page %q: agent %q is not all-agents or spider", name, p.Agent)
	}
	if !strings.Contains(p.Domain, ".") {
		return p, fmt.Errorf("page %q: domain %q has no dot", name, p.Domain)
	}
	return p, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// WikiOptions configure the WWT readers.
type WikiOptions struct {
	Options
	// ClassBy is the page attribute that labels a series: "access"
	// (default, the paper's WW classes), "domain" or "agent". The group is
	// the domain, or the access type when ClassBy is "domain".
	ClassBy string
	// MissingAsZero fills missing or empty days with 0 (reported per
	// series); otherwise a series with missing days is skipped (reported).
	MissingAsZero bool
}

func (o WikiOptions) labelGroup(p WikiPage) (string, string, error) {
	switch o.ClassBy {
	case "", "access":
		return p.Access, p.Domain, nil
	case "domain":
		return p.Domain, p.Access, nil
	case "agent":
		return p.Agent, p.Domain, nil
	}
	return "", "", fmt.Errorf("ClassBy %q: use access, domain or agent", o.ClassBy)
}

const day = 24 * time.Hour

// wikiSeries accumulates one page's days.
type wikiSeries struct {
	page  string
	line  int
	value map[int]float64 // day index -> views
}

// MaxWikiDays bounds the span of a long-form Wikipedia file, so one absurd
// date (year 9999) cannot make every series millions of days long.
const MaxWikiDays = 100 * 366

// wikiValue parses a page-view count: a finite number >= 0.
func wikiValue(rec []string, i int) (float64, error) {
	v, err := parseFloat(rec, i, "value")
	if err == nil && (v < 0 || v > MaxSize) {
		err = fmt.Errorf("value %g is outside [0, %g]", v, float64(MaxSize))
	}
	return v, err
}

// ReadWikiLong reads the long form Page,date,value (date as YYYY-MM-DD).
// All series span the file's first to last date. Progress counts bytes.
func ReadWikiLong(path string, opt WikiOptions) (*traffic.Dataset, traffic.Report, error) {
	var rep traffic.Report
	c, err := openCSV(path, ',')
	if err != nil {
		return nil, rep, err
	}
	defer c.Close()
	cols, err := c.columns("page", "date", "value")
	if err != nil {
		return nil, rep, err
	}
	pages := map[string]*wikiSeries{}
	var order []*wikiSeries
	var first, last time.Time
	rows := 0
	err = c.eachRow(path, opt.Options, &rep, 4096, func(rec []string, line int) error {
		rows++
		page, ds := field(rec, cols[0]), field(rec, cols[1])
		d, err := time.Parse(time.DateOnly, ds)
		if err != nil || page == "" {
			return opt.rowProblem(&rep, path, line, page, fmt.Sprintf("date %q is not YYYY-MM-DD or page is empty: row skipped", ds))
		}
		s := pages[page]
		if s == nil {
			s = &wikiSeries{page: page, line: line, value: map[int]float64{}}
			pages[page] = s
			order = append(order, s)
		}
		if first.IsZero() || d.Before(first) {
			first = d
		}
		if d.After(last) {
			last = d
		}
		v, err := wikiValue(rec, cols[2])
		key := int(d.Unix() / int64(day/time.Second))
		if _, dup := s.value[key]; dup && err == nil {
			return opt.rowProblem(&rep, path, line, page, fmt.Sprintf("date %s given twice for this page: the later row skipped", ds))
		}
		if err == nil { // an empty value is a missing day, handled per series
			s.value[key] = v
			return nil
		}
		if field(rec, cols[2]) == "" {
			return nil
		}
		return opt.rowProblem(&rep, path, line, page, err.Error()+": day treated as missing")
	})
	if err != nil {
		return nil, rep, err
	}
	if len(order) == 0 {
		return nil, rep, fmt.Errorf("%s: no data rows", path)
	}
	d0 := int(first.Unix() / int64(day/time.Second))
	nDays := int(last.Sub(first)/day) + 1
	if nDays > MaxWikiDays {
		return nil, rep, fmt.Errorf("%s: dates %s to %s span %d days, over MaxWikiDays %d; check the dates", path, first.Format(time.DateOnly), last.Format(time.DateOnly), nDays, MaxWikiDays)
	}
	cells := int64(len(order)) * int64(nDays)
	if opt.MissingAsZero && cells > 64*int64(rows)+1<<20 {
		return nil, rep, fmt.Errorf("%s: %d pages over %d days from only %d rows would fill %d cells with zeros (more than 64 per row); check the dates or drop MissingAsZero", path, len(order), nDays, rows, cells)
	}
	var traces []traffic.Trace
	for _, s := range order {
		if len(s.value) < nDays && !opt.MissingAsZero { // skip before allocating the series
			rep.Add(path, s.line, s.page, fmt.Sprintf("%d of %d days missing: series skipped (set MissingAsZero to keep it)", nDays-len(s.value), nDays))
			continue
		}
		vals := make([]float64, nDays)
		for i := range vals {
			v, ok := s.value[d0+i]
			if !ok {
				v = math.NaN()
			}
			vals[i] = v
		}
		t, err := wikiTrace(path, s.line, s.page, vals, opt, &rep)
		if err != nil {
			return nil, rep, err
		}
		if t != nil {
			traces = append(traces, *t)
		}
	}
	return wikiDataset(path, traces, nDays, opt, &rep)
}

// ReadWikiWide reads Kaggle's train_*.csv: Page, then one column per day.
// Progress counts bytes.
func ReadWikiWide(path string, opt WikiOptions) (*traffic.Dataset, traffic.Report, error) {
	var rep traffic.Report
	c, err := openCSV(path, ',')
	if err != nil {
		return nil, rep, err
	}
	defer c.Close()
	if len(c.header) < 2 || c.header[0] != "page" {
		return nil, rep, fmt.Errorf("%s:1: header must be Page,<date>,<date>,...; got %d columns starting %q", path, len(c.header), c.header[0])
	}
	if err := checkWikiDates(path, c.header[1:]); err != nil {
		return nil, rep, err
	}
	nDays := len(c.header) - 1
	var traces []traffic.Trace
	seen := map[string]int{}
	err = c.eachRow(path, opt.Options, &rep, 1024, func(rec []string, line int) error {
		if len(rec) != nDays+1 {
			return opt.rowProblem(&rep, path, line, field(rec, 0), fmt.Sprintf("%d fields, header has %d: row skipped", len(rec), nDays+1))
		}
		if prev, dup := seen[field(rec, 0)]; dup {
			return opt.rowProblem(&rep, path, line, field(rec, 0), fmt.Sprintf("page already on line %d: row skipped", prev))
		}
		seen[field(rec, 0)] = line
		vals := make([]float64, nDays)
		bad := 0
		for i := range vals {
			v, err := wikiValue(rec, i+1)
			if err != nil {
				v = math.NaN()
				if field(rec, i+1) != "" {
					bad++
				}
			}
			vals[i] = v
		}
		if bad > 0 {
			if err := opt.rowProblem(&rep, path, line, field(rec, 0), fmt.Sprintf("%d values are not finite non-negative numbers: those days treated as missing", bad)); err != nil {
				return err
			}
		}
		t, err := wikiTrace(path, line, field(rec, 0), vals, opt, &rep)
		if t != nil {
			traces = append(traces, *t)
		}
		return err
	})
	if err != nil {
		return nil, rep, err
	}
	return wikiDataset(path, traces, nDays, opt, &rep)
}

// checkWikiDates checks that the date columns of a wide file are consecutive days in order (each the day
// after the one before): a column that is not a date, a repeated or out-of-order date or a gap is an error
// naming the column, since the series would otherwise join days that are not neighbours.
func checkWikiDates(path string, cols []string) error {
	if len(cols) > MaxWikiDays {
		return fmt.Errorf("%s:1: %d date columns, over MaxWikiDays %d", path, len(cols), MaxWikiDays)
	}
	var prev time.Time
	for i, s := range cols {
		d, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("%s:1: column %d header %q is not a YYYY-MM-DD date; the header must be Page,<date>,<date>,...", path, i+2, s)
		}
		if i > 0 && !d.Equal(prev.Add(day)) {
			return fmt.Errorf("%s:1: column %d is %s after %s: the date columns must be consecutive days in order (no repeats, gaps or reordering)",
				path, i+2, d.Format(time.DateOnly), prev.Format(time.DateOnly))
		}
		prev = d
	}
	return nil
}

func rowReadProblem(err error, path string, opt Options, rep *traffic.Report) error {
	var re *RowError
	if errors.As(err, &re) {
		return opt.rowProblem(rep, path, re.Line, "", re.Msg)
	}
	return fmt.Errorf("%s: %w", path, err)
}

// wikiTrace checks the page name and missing days of one series.
func wikiTrace(path string, line int, page string, vals []float64, opt WikiOptions, rep *traffic.Report) (*traffic.Trace, error) {
	p, err := ParseWikiPage(page)
	if err != nil {
		return nil, opt.rowProblem(rep, path, line, page, err.Error()+": series skipped")
	}
	label, group, err := opt.labelGroup(p)
	if err != nil {
		return nil, err
	}
	missing := 0
	for i, v := range vals {
		if math.IsNaN(v) {
			missing++
			vals[i] = 0
		}
	}
	if missing > 0 && !opt.MissingAsZero {
		rep.Add(path, line, page, fmt.Sprintf("%d of %d days missing: series skipped (set MissingAsZero to keep it)", missing, len(vals)))
		return nil, nil
	}
	if missing > 0 {
		rep.Add(path, line, page, fmt.Sprintf("%d of %d days missing: filled with 0", missing, len(vals)))
	}
	return &traffic.Trace{ID: page, Label: label, Group: group, Values: vals, Step: 86400}, nil
}

// wikiDataset fixes the class list to WikiAccessTypes when classing by
// access, so class indices do not depend on which types a file holds.
func wikiDataset(path string, traces []traffic.Trace, nDays int, opt WikiOptions, rep *traffic.Report) (*traffic.Dataset, traffic.Report, error) {
	rep.Read = len(traces)
	var classes []string
	if opt.ClassBy == "" || opt.ClassBy == "access" {
		classes = append([]string(nil), WikiAccessTypes...)
	}
	ds, err := traffic.NewDataset(filepath.Base(path), traces, classes, traffic.Feature{Kind: traffic.Values, Length: nDays})
	return ds, *rep, err
}

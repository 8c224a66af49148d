package traffic

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
)

// Skip records one item a loader left out or repaired, and why.
type Skip struct {
	File   string // file the item came from
	Line   int    // 1-based line or record number; 0 when not line based
	Item   string // trace, row or packet identifier
	Reason string // what was wrong, and what the loader did
}

// String formats s as "file:line: item: reason".
func (s Skip) String() string {
	loc := s.File
	if s.Line > 0 {
		loc = fmt.Sprintf("%s:%d", s.File, s.Line)
	}
	if s.Item != "" && s.Item != filepath.Base(s.File) {
		return fmt.Sprintf("%s: %s: %s", loc, s.Item, s.Reason)
	}
	return fmt.Sprintf("%s: %s", loc, s.Reason)
}

// Report lists what a loader skipped or repaired. Loaders never drop data
// without recording it here.
type Report struct {
	Read    int    // items (traces, files or rows) read successfully
	Skipped []Skip // everything left out or repaired, in input order
}

// Add records a skipped item.
func (r *Report) Add(file string, line int, item, reason string) {
	r.Skipped = append(r.Skipped, Skip{File: file, Line: line, Item: item, Reason: reason})
}

// Merge appends the skips and counts of o to r.
func (r *Report) Merge(o Report) {
	r.Read += o.Read
	r.Skipped = append(r.Skipped, o.Skipped...)
}

// Reasons counts skips by reason, for summaries.
func (r *Report) Reasons() map[string]int {
	out := map[string]int{}
	for _, s := range r.Skipped {
		out[s.Reason]++
	}
	return out
}

// Print writes a summary: the count, each distinct reason with its count,
// and up to max individual skips (all when max < 0).
func (r *Report) Print(w io.Writer, max int) {
	fmt.Fprintf(w, "read %d, skipped or repaired %d\n", r.Read, len(r.Skipped))
	reasons := r.Reasons()
	keys := make([]string, 0, len(reasons))
	for k := range reasons {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "  %5d x %s\n", reasons[k], k)
	}
	for i, s := range r.Skipped {
		if max >= 0 && i >= max {
			fmt.Fprintf(w, "  ... %d more\n", len(r.Skipped)-max)
			break
		}
		fmt.Fprintf(w, "  %s\n", s)
	}
}

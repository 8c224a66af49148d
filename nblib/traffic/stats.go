package traffic

import (
	"fmt"
	"io"
	"sort"
)

// WriteStats writes classes, traces per class, groups and the length
// distribution (packets, or values for ready series).
func (ds *Dataset) WriteStats(w io.Writer) {
	fmt.Fprintf(w, "dataset %s: %d traces, %d classes, default feature %v\n", ds.Name, len(ds.Traces), len(ds.Classes), ds.Default)
	counts := ds.CountPerClass()
	fmt.Fprintln(w, "traces per class:")
	for i, c := range ds.Classes {
		fmt.Fprintf(w, "  %4d  %s\n", counts[i], c)
	}
	groups := map[string]int{}
	for _, g := range ds.Groups() {
		groups[g]++
	}
	if len(groups) > 1 || groups[""] == 0 {
		keys := make([]string, 0, len(groups))
		for g := range groups {
			keys = append(keys, g)
		}
		sort.Strings(keys)
		fmt.Fprintln(w, "traces per group:")
		for _, g := range keys {
			fmt.Fprintf(w, "  %4d  %s\n", groups[g], g)
		}
	}
	lengths := make([]int, len(ds.Traces))
	for i := range ds.Traces {
		lengths[i] = ds.Traces[i].Length()
	}
	if len(lengths) == 0 {
		return
	}
	sort.Ints(lengths)
	q := func(p float64) int { return lengths[int(p*float64(len(lengths)-1))] }
	unit := "packets"
	if ds.Traces[0].Packets == nil {
		unit = "values"
	}
	fmt.Fprintf(w, "length (%s): min %d  p10 %d  median %d  p90 %d  max %d\n", unit, lengths[0], q(0.1), q(0.5), q(0.9), lengths[len(lengths)-1])
	if l := ds.Default.Length; l > 0 {
		short := sort.SearchInts(lengths, l)
		fmt.Fprintf(w, "vs feature length %d: %d traces zero padded, %d truncated or exact\n", l, short, len(lengths)-short)
	}
}

package interactive

import (
	"fmt"
	"strings"
)

// describer builds a chart's plain-text fallback (Chart.Text): the title, the axes, then one line per
// series with its size and value range, so a viewer that cannot run the chart still shows the numbers.
type describer struct{ b strings.Builder }

func newDescriber(kind, title, xlabel, ylabel string) *describer {
	d := &describer{}
	if title == "" {
		title = "(untitled)"
	}
	fmt.Fprintf(&d.b, "[%s] %s", kind, title)
	if xlabel != "" || ylabel != "" {
		fmt.Fprintf(&d.b, "\n  x: %s; y: %s", orDash(xlabel), orDash(ylabel))
	}
	return d
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// series adds a line "name: n values, min .. max (last v)".
func (d *describer) series(name string, ys []float64) {
	if len(ys) == 0 {
		fmt.Fprintf(&d.b, "\n  %s: no values", name)
		return
	}
	lo, hi := ys[0], ys[0]
	for _, v := range ys {
		lo, hi = min(lo, v), max(hi, v)
	}
	fmt.Fprintf(&d.b, "\n  %s: %d values, %.4g .. %.4g (last %.4g)", name, len(ys), lo, hi, ys[len(ys)-1])
}

// pairs adds a line "name: a=v, b=w, ...".
func (d *describer) pairs(name string, keys []string, vals []float64) {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%.4g", k, vals[i])
	}
	fmt.Fprintf(&d.b, "\n  %s: %s", name, strings.Join(parts, ", "))
}

func (d *describer) line(format string, args ...any) {
	fmt.Fprintf(&d.b, "\n  "+format, args...)
}

func (d *describer) String() string { return d.b.String() }

// ChartsText joins the charts' plain-text fallbacks.
func ChartsText(charts ...*Chart) string {
	parts := make([]string, 0, len(charts))
	for _, c := range charts {
		parts = append(parts, c.Text)
	}
	return strings.Join(parts, "\n")
}

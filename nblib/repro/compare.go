package repro

import (
	"fmt"
	"io"
)

// notInPreset is the "this run" cell of a row that only the stored reference has.
const notInPreset = "– (not in this preset)"

// compared is one row of a notebook's paper | reference | this-run table: this run's entry, the
// reference's entry of the same key, or both.
type compared[T any] struct {
	This, Ref       T
	HasThis, HasRef bool
}

// Row is the entry that labels the row: this run's, else the reference's.
func (c compared[T]) Row() T {
	if c.HasThis {
		return c.This
	}
	return c.Ref
}

// pairUp matches this run's entries with the reference's by key: this run's entries in order, then
// those only the reference has (the datasets and lengths of the larger cpu preset), so that a smoke
// notebook still shows every stored reference row.
func pairUp[T any](this, ref []T, key func(T) string) []compared[T] {
	refAt := map[string]int{}
	for i, r := range ref {
		refAt[key(r)] = i
	}
	var out []compared[T]
	seen := map[string]bool{}
	for _, t := range this {
		k := key(t)
		seen[k] = true
		c := compared[T]{This: t, HasThis: true}
		if i, ok := refAt[k]; ok {
			c.Ref, c.HasRef = ref[i], true
		}
		out = append(out, c)
	}
	for _, r := range ref {
		if !seen[key(r)] {
			out = append(out, compared[T]{Ref: r, HasRef: true})
		}
	}
	return out
}

// cell formats an entry with f, or "–" when it is absent (thisRun: notInPreset).
func cell[T any](v T, has, thisRun bool, f func(T) string) string {
	switch {
	case has:
		return f(v)
	case thisRun:
		return notInPreset
	}
	return "–"
}

// curvePoint is one point of a figure's curve, flattened for pairUp: the curve's name and unit, and the
// point's index in its curve (the paper's statement goes on a curve's first row).
type curvePoint[P any] struct {
	Curve, Unit string
	Index       int
	Point       P
}

// flatten lists the points of curves in order.
func flatten[C, P any](curves []C, parts func(C) (name, unit string, points []P)) []curvePoint[P] {
	var out []curvePoint[P]
	for _, c := range curves {
		name, unit, points := parts(c)
		for i, p := range points {
			out = append(out, curvePoint[P]{Curve: name, Unit: unit, Index: i, Point: p})
		}
	}
	return out
}

// WriteVerdicts writes, one claim a line, the verdicts on this run and, when a reference is stored, on
// the cpu reference: at the cpu preset's scale the paper's claims can be judged, at smoke's they are a
// wiring check.
func WriteVerdicts[T any](w io.Writer, verdicts func(*T) []string, this, ref *T) {
	var refLines []string
	if ref != nil {
		refLines = verdicts(ref)
	}
	writeVerdicts(w, verdicts(this), refLines)
}

// WriteVerdicts is the package's WriteVerdicts for an item's results behind any: this may be nil (only
// the reference's verdicts are written), ref is nil when no reference is stored.
func (it Item) WriteVerdicts(w io.Writer, this, ref any) {
	var thisLines, refLines []string
	if this != nil {
		thisLines = it.Verdicts(this)
	}
	if ref != nil {
		refLines = it.Verdicts(ref)
	}
	writeVerdicts(w, thisLines, refLines)
}

// writeVerdicts writes the verdict lines of this run (none: no section) and of the reference (none: a
// line saying how to store one).
func writeVerdicts(w io.Writer, this, ref []string) {
	if this != nil {
		fmt.Fprintln(w, "This run:")
		for _, v := range this {
			fmt.Fprintln(w, "-", v)
		}
	}
	if ref == nil {
		fmt.Fprintf(w, "No stored %s reference: `netdiffus repro NAME -mode %s -write-reference` makes one.\n", ReferencePreset, ReferencePreset)
		return
	}
	fmt.Fprintf(w, "Stored %s reference:\n", ReferencePreset)
	for _, v := range ref {
		fmt.Fprintln(w, "-", v)
	}
}

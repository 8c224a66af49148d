package must_test

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/must"
)

// recovered runs f and returns what it panicked with (nil when it returned normally).
func recovered(f func()) (r any) {
	defer func() { r = recover() }()
	f()
	return nil
}

// TestMustPanicsWithTheErrorItself checks every arity: a nil error returns the values unchanged and does
// not panic; a non-nil one panics with that very error (wrapped errors stay matchable by errors.Is).
func TestMustPanicsWithTheErrorItself(t *testing.T) {
	wrapped := fmt.Errorf("reading data.csv: %w", fs.ErrNotExist)
	for _, tc := range []struct {
		name string
		call func(err error) []any
	}{
		{"M", func(err error) []any { must.M(err); return nil }},
		{"M1", func(err error) []any { return []any{must.M1(7, err)} }},
		{"M2", func(err error) []any { a, b := must.M2("x", 2.5, err); return []any{a, b} }},
		{"M3", func(err error) []any { a, b, c := must.M3(1, "y", true, err); return []any{a, b, c} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := map[string][]any{"M": nil, "M1": {7}, "M2": {"x", 2.5}, "M3": {1, "y", true}}[tc.name]
			var got []any
			if r := recovered(func() { got = tc.call(nil) }); r != nil {
				t.Fatalf("nil error: panicked with %v", r)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("nil error: returned %v, want %v", got, want)
			}
			r := recovered(func() { tc.call(wrapped) })
			err, ok := r.(error)
			if !ok || err != wrapped || !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("error: panicked with %#v, want the error %v itself", r, wrapped)
			}
		})
	}
}

// A notebook cell: each call that can fail is one line, and a failure stops the cell with the error.
func Example() {
	n := must.M1(strconv.Atoi("42"))
	fmt.Println(n + 1)
	defer func() { fmt.Println("stopped:", recover()) }()
	must.M1(strconv.Atoi("forty-two"))
	// Output:
	// 43
	// stopped: strconv.Atoi: parsing "forty-two": invalid syntax
}

package must_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/must"
)

// TestPanicsOnlyOnError: each helper returns its values when err is nil and panics with err itself
// (so that errors.Is still finds it) when it is not.
func TestPanicsOnlyOnError(t *testing.T) {
	boom := errors.New("boom")
	cases := []struct {
		name string
		call func(err error)
	}{
		{"M", func(err error) { must.M(err) }},
		{"M1", func(err error) {
			if v := must.M1(7, err); v != 7 {
				t.Errorf("M1 returned %d, want 7", v)
			}
		}},
		{"M2", func(err error) {
			if a, b := must.M2("a", 2, err); a != "a" || b != 2 {
				t.Errorf("M2 returned %q, %d, want a, 2", a, b)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.call(nil) // no panic
			defer func() {
				r := recover()
				if err, ok := r.(error); !ok || !errors.Is(err, boom) {
					t.Errorf("%s(boom) panicked with %v, want the error boom", c.name, r)
				}
			}()
			c.call(boom)
			t.Errorf("%s(boom) did not panic", c.name)
		})
	}
}

func ExampleM1() {
	n := must.M1(fmt.Sscan("42", new(int)))
	fmt.Println(n, "value read")
	// Output: 1 value read
}

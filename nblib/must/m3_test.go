package must_test

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/must"
)

// TestM3: the three values come back unchanged when err is nil; otherwise M3 panics with err itself, a
// wrapped error still matchable by errors.Is.
func TestM3(t *testing.T) {
	a, b, c := must.M3(1, "y", true, nil)
	if a != 1 || b != "y" || !c {
		t.Errorf("M3 returned %v, %q, %v, want 1, y, true", a, b, c)
	}
	wrapped := fmt.Errorf("reading data.csv: %w", fs.ErrNotExist)
	defer func() {
		if err, ok := recover().(error); !ok || err != wrapped || !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("M3 panicked with %v, want the error %v itself", err, wrapped)
		}
	}()
	must.M3(1, "y", true, wrapped)
	t.Error("M3 with an error did not panic")
}

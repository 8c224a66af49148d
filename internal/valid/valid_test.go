package valid

import (
	"flag"
	"math"
	"strings"
	"testing"
	"time"
)

func TestChecks(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.Parse([]string{"stray"})
	for _, tc := range []struct {
		name string
		err  error
		want string // "" for no error
	}{
		{"int in range", Int("-n", 5, 0, 10), ""},
		{"int below", Int("-n", -1, 0, 10), "-n -1: want 0..10"},
		{"int above", Int("-n", 11, 0, 10), "-n 11"},
		{"float NaN", Float("-lr", math.NaN(), 0, 1), "-lr NaN: want a finite number"},
		{"float +Inf", Float("-lr", math.Inf(1), 0, 1), "-lr +Inf"},
		{"float above", Float("-lr", 2, 0, 1), "want a number in [0, 1]"},
		{"positive zero", Positive("-step", 0, 10), "-step 0"},
		{"positive ok", Positive("-step", 0.5, 10), ""},
		{"duration negative", Duration("-time", -time.Second, time.Hour), "-time -1s"},
		{"enum unknown", Enum("-dir", "sideways", "up", "down", "both"), `-dir "sideways": want up, down or both`},
		{"enum ok", Enum("-dir", "up", "up", "down"), ""},
		{"stray argument", NoArgs(fs), `unexpected argument "stray"`},
		{"alloc over", Alloc("-per-class 1000000000", 1e9, 1024), "over the limit of 4 GiB"},
		{"alloc under", Alloc("small", 1000, 1000), ""},
		{"alloc overflow", Alloc("huge", math.MaxInt64, 8), "over the limit"},
		{"first of several", First(nil, Int("-a", -1, 0, 1), Int("-b", -1, 0, 1)), "-a -1"},
	} {
		switch {
		case tc.want == "" && tc.err != nil:
			t.Errorf("%s: %v", tc.name, tc.err)
		case tc.want != "" && (tc.err == nil || !strings.Contains(tc.err.Error(), tc.want)):
			t.Errorf("%s: got %v, want %q", tc.name, tc.err, tc.want)
		}
	}
}

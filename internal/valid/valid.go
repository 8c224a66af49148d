// Package valid is the one validation layer of command-line flags and configuration values: numeric
// ranges (NaN and ±Inf are always refused), enumerations, stray positional arguments, and sizes that
// would allocate, bounded against memory before anything is allocated. Every error names the flag or
// field, the value and what is accepted.
package valid

import (
	"flag"
	"fmt"
	"math"
	"strings"
	"time"
)

// MaxAllocBytes bounds one allocation that a flag or field sizes (series, images, samples): 4 GiB, far
// above every preset's needs (the full preset's largest array is a few hundred MB) and below what
// exhausts a workstation.
const MaxAllocBytes int64 = 4 << 30

// Int checks that integer flag name (e.g. "-length" or "Net.NumClasses") lies in [lo, hi].
func Int(name string, v, lo, hi int64) error {
	if v < lo || v > hi {
		return fmt.Errorf("%s %d: want %d..%d", name, v, lo, hi)
	}
	return nil
}

// Float checks that float flag name is finite and lies in [lo, hi].
func Float(name string, v, lo, hi float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("%s %g: want a finite number in [%g, %g]", name, v, lo, hi)
	}
	if v < lo || v > hi {
		return fmt.Errorf("%s %g: want a number in [%g, %g]", name, v, lo, hi)
	}
	return nil
}

// Positive checks that float flag name is finite and in (0, hi].
func Positive(name string, v, hi float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 || v > hi {
		return fmt.Errorf("%s %g: want a finite number in (0, %g]", name, v, hi)
	}
	return nil
}

// Duration checks that duration flag name lies in [0, hi].
func Duration(name string, v, hi time.Duration) error {
	if v < 0 || v > hi {
		return fmt.Errorf("%s %s: want 0 (no limit) up to %s", name, v, hi)
	}
	return nil
}

// Enum checks that flag name is one of allowed.
func Enum(name, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return fmt.Errorf("%s %q: want %s", name, v, orList(allowed))
}

func orList(s []string) string {
	if len(s) == 1 {
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// NoArgs refuses positional arguments left after the flags of fs (a misspelt or misplaced flag).
func NoArgs(fs *flag.FlagSet) error {
	if fs.NArg() == 0 {
		return nil
	}
	return fmt.Errorf("unexpected argument %q (flags go before it? every input is given with a flag; see -h)", fs.Arg(0))
}

// Alloc checks that count items of each bytes, sized by what (e.g. "-per-class 1000000000"), stay within
// MaxAllocBytes; count and each must be non-negative.
func Alloc(what string, count, each int64) error {
	if count < 0 || each < 0 {
		return fmt.Errorf("%s: negative size", what)
	}
	if each > 0 && count > MaxAllocBytes/each {
		return fmt.Errorf("%s: %d items of %d bytes need %.4g GiB, over the limit of %d GiB for one run (use smaller values)",
			what, count, each, float64(count)*float64(each)/(1<<30), MaxAllocBytes>>30)
	}
	return nil
}

// First returns the first non-nil error.
func First(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

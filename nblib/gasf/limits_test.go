package gasf

import (
	"errors"
	"strings"
	"testing"
)

// Issue 10: `image -size 100000` must be an error before any allocation, not an out-of-memory.
func TestSizeLimit(t *testing.T) {
	series := make([]float64, 8)
	for i := range series {
		series[i] = float64(i)
	}
	for _, size := range []int{100000, MaxSize + 1} {
		p := DefaultParams(size)
		if err := p.Validate(); !errors.Is(err, ErrSize) || !strings.Contains(err.Error(), "MaxSize") {
			t.Errorf("size %d: Validate %v", size, err)
		}
		if _, err := Encode(series, p); !errors.Is(err, ErrSize) {
			t.Errorf("size %d: Encode %v", size, err)
		}
	}
	if err := DefaultParams(128).Validate(); err != nil {
		t.Errorf("paper size 128: %v", err)
	}
	for _, bad := range []Params{{Size: 8, Gamma: -1, Amplitude: 1}, {Size: 8, Gamma: 0.25, Amplitude: 2}, {Size: -1, Gamma: 0.25, Amplitude: 1}} {
		if err := bad.Validate(); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

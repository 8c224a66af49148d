package pixels

import (
	"fmt"
	"math"
	"testing"
)

// TestRoundTrips checks every 8-bit level survives byte -> model -> byte and byte -> unit -> byte, and
// that model values land on the closed-form levels.
func TestRoundTrips(t *testing.T) {
	for p := range 256 {
		b := uint8(p)
		if got := ModelToByte(ByteToModel(b)); got != b {
			t.Errorf("byte %d -> model %v -> byte %d", b, ByteToModel(b), got)
		}
		if got := UnitToByte(ByteToUnit(b)); got != b {
			t.Errorf("byte %d -> unit -> byte %d", b, got)
		}
		if m, want := ByteToModel(b), 2*float64(b)/255-1; math.Abs(float64(m)-want) > 1e-6 {
			t.Errorf("ByteToModel(%d) = %v, want %v", b, m, want)
		}
		if u := ModelToUnit(ByteToModel(b)); math.Abs(u-float64(b)/255) > 1e-6 {
			t.Errorf("ModelToUnit(ByteToModel(%d)) = %v", b, u)
		}
	}
}

func TestClampAndRound(t *testing.T) {
	for _, tc := range []struct {
		m    float32
		want uint8
	}{{-1, 0}, {1, 255}, {-3, 0}, {7, 255}, {0, 128}, {float32(math.NaN()), 0}, {-1 + 0.4/127.5, 0}, {-1 + 0.6/127.5, 1}} {
		if got := ModelToByte(tc.m); got != tc.want {
			t.Errorf("ModelToByte(%v) = %d, want %d", tc.m, got, tc.want)
		}
	}
	if ModelToUnit(2) != 1 || ModelToUnit(-2) != 0 || UnitToByte(1.5) != 255 || UnitToByte(-1) != 0 {
		t.Error("clamping")
	}
	if q := Quantise(0.001); q != ByteToModel(128) {
		t.Errorf("Quantise(0.001) = %v", q)
	}
}

func ExampleModelToByte() {
	fmt.Println(ModelToByte(-1), ModelToByte(0), ModelToByte(1), ModelToByte(1.3))
	// Output: 0 128 255 255
}

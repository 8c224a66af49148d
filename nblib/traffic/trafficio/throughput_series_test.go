package trafficio

import (
	"reflect"
	"testing"
)

// Closed form: 8 Mbit/s for 0.5 s then 16 Mbit/s for 1.5 s, in 1 s bins:
// bin 0 = 1e6*0.5 + 2e6*0.5 bytes, bin 1 = 2e6*1 bytes.
func TestIntegrateThroughput(t *testing.T) {
	got := IntegrateThroughput([]float64{10, 10.5, 12}, []float64{8, 16, 0}, 1)
	if want := []float64{1.5e6, 2e6}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if got := IntegrateThroughput([]float64{1}, []float64{5}, 1); got != nil {
		t.Errorf("one line: got %v, want nil", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("unequal lengths: want a panic")
		}
	}()
	IntegrateThroughput([]float64{0, 1}, []float64{1}, 1)
}

package traffic

import (
	"strings"
	"testing"
)

func TestWriteStats(t *testing.T) {
	traces := []Trace{
		{ID: "a1", Label: "a", Group: "g1", Values: []float64{1, 2, 3}},
		{ID: "a2", Label: "a", Group: "g1", Values: []float64{1, 2, 3, 4, 5}},
		{ID: "b1", Label: "b", Group: "g2", Values: []float64{1}},
	}
	ds, err := NewDataset("toy", traces, nil, Feature{Kind: Values, Length: 4})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	ds.WriteStats(&b)
	for _, want := range []string{
		"dataset toy: 3 traces, 2 classes",
		"     2  a\n", "     1  b\n",
		"traces per group:", "     2  g1\n",
		"length (values): min 1  p10 1  median 3  p90 3  max 5",
		"vs feature length 4: 2 traces zero padded, 1 truncated or exact",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("stats lack %q:\n%s", want, b.String())
		}
	}
}

package traffic

import (
	"reflect"
	"sort"
	"strings"
	"testing"
)

// labels10x3: classes 0,1,2 with 10, 10 and 5 traces, interleaved.
func labels10x3() []int {
	var l []int
	for i := range 25 {
		switch {
		case i < 20:
			l = append(l, i%2)
		default:
			l = append(l, 2)
		}
	}
	return l
}

func TestSplitPerClass(t *testing.T) {
	labels := labels10x3()
	for _, order := range []Order{Shuffled, FirstInOrder} {
		s := SplitPerClass(labels, 0.8, order, 7)
		count := func(idx []int) map[int]int {
			m := map[int]int{}
			for _, i := range idx {
				m[labels[i]]++
			}
			return m
		}
		if got := count(s.Train); !reflect.DeepEqual(got, map[int]int{0: 8, 1: 8, 2: 4}) {
			t.Errorf("order %d: train per class %v", order, got)
		}
		if got := count(s.Test); !reflect.DeepEqual(got, map[int]int{0: 2, 1: 2, 2: 1}) {
			t.Errorf("order %d: test per class %v", order, got)
		}
		all := append(append([]int(nil), s.Train...), s.Test...)
		sort.Ints(all)
		for i, v := range all {
			if i != v {
				t.Fatalf("order %d: train+test is not a partition: %v", order, all)
			}
		}
	}
	// "first 80%": class 0 lives at even indices 0..18; its first 8 train.
	s := SplitPerClass(labels, 0.8, FirstInOrder, 0)
	if !reflect.DeepEqual(s.Train[:8], []int{0, 2, 4, 6, 8, 10, 12, 14}) || !reflect.DeepEqual(s.Test[:2], []int{16, 18}) {
		t.Errorf("first 80%%: train %v test %v", s.Train[:8], s.Test[:2])
	}
	// Same seed, same split; another seed, another split.
	a, b, c := SplitPerClass(labels, 0.8, Shuffled, 1), SplitPerClass(labels, 0.8, Shuffled, 1), SplitPerClass(labels, 0.8, Shuffled, 2)
	if !reflect.DeepEqual(a, b) || reflect.DeepEqual(a, c) {
		t.Error("shuffled split is not a deterministic function of the seed")
	}
}

func TestLimitPerClass(t *testing.T) {
	labels := labels10x3()
	s := SplitPerClass(labels, 0.8, FirstInOrder, 0)
	got := LimitPerClass(s.Train, labels, 3, 0)
	if !reflect.DeepEqual(got, []int{0, 2, 4, 1, 3, 5, 20, 21, 22}) {
		t.Errorf("first 3 per class: %v", got)
	}
	if got := LimitPerClass(s.Train, labels, 100, 0); len(got) != len(s.Train) {
		t.Errorf("limit above class size keeps everything: %d of %d", len(got), len(s.Train))
	}
	r := LimitPerClass(s.Train, labels, 2, 9)
	if len(r) != 6 {
		t.Errorf("seeded limit: %v", r)
	}
}

func TestSplitAnomaly(t *testing.T) {
	var labels []int
	for c := range 10 {
		for range 10 {
			labels = append(labels, c)
		}
	}
	s := SplitPerClass(labels, 0.8, FirstInOrder, 0)
	a, err := SplitAnomaly(labels, s, 5, 2, 3, 42)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Legit) != 5 || len(a.Anomalous) != 2 {
		t.Fatalf("legit %v anomalous %v", a.Legit, a.Anomalous)
	}
	perClass := map[int]int{}
	for _, i := range a.Train {
		perClass[labels[i]]++
	}
	for _, c := range a.Legit {
		if perClass[c] != 8 {
			t.Errorf("legit class %d has %d training traces, want all 8", c, perClass[c])
		}
	}
	for _, c := range a.Anomalous {
		if perClass[c] != 3 {
			t.Errorf("anomalous class %d has %d training traces, want 3", c, perClass[c])
		}
	}
	if len(perClass) != 7 || len(a.Test) != 7*2 {
		t.Errorf("%d classes in train, %d test traces; want 7 and 14", len(perClass), len(a.Test))
	}
	if _, err := SplitAnomaly(labels, s, 9, 2, 3, 1); err == nil {
		t.Error("11 classes from 10: want an error")
	}
	if _, err := SplitAnomaly(labels, s, 5, 2, 9, 1); err == nil {
		t.Error("9 anomalous training traces from 8: want an error")
	}
}

func TestReportPrint(t *testing.T) {
	var r Report
	r.Read = 3
	r.Add("a.csv", 4, "a", "bad size")
	r.Add("b.csv", 0, "", "bad size")
	var sb strings.Builder
	r.Print(&sb, 1)
	want := "read 3, skipped or repaired 2\n      2 x bad size\n  a.csv:4: a: bad size\n  ... 1 more\n"
	if sb.String() != want {
		t.Errorf("got\n%s\nwant\n%s", sb.String(), want)
	}
}

package traffic

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// Order says how SplitPerClass picks the training traces of a class.
type Order int

const (
	// Shuffled draws each class's training traces after a seeded shuffle.
	Shuffled Order = iota
	// FirstInOrder keeps the first fraction of each class in dataset order
	// for training and the rest for testing: the paper's "first 80%".
	FirstInOrder
)

// Split holds trace indices for training and testing.
type Split struct {
	Train, Test []int
}

// byClass groups trace indices by class, in dataset order.
func byClass(labels []int) map[int][]int {
	out := map[int][]int{}
	for i, c := range labels {
		out[c] = append(out[c], i)
	}
	return out
}

func sortedKeys(m map[int][]int) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	return keys
}

// SplitPerClass splits every class into round(trainFrac*n_c) training and
// the remaining test traces. Index lists come out grouped by class, in class
// order. It panics if trainFrac is outside [0, 1].
func SplitPerClass(labels []int, trainFrac float64, order Order, seed uint64) Split {
	if trainFrac < 0 || trainFrac > 1 {
		panic(fmt.Sprintf("traffic: train fraction %g outside [0,1]", trainFrac))
	}
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	groups := byClass(labels)
	var s Split
	for _, c := range sortedKeys(groups) {
		idx := append([]int(nil), groups[c]...)
		if order == Shuffled {
			rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		}
		n := int(math.Round(trainFrac * float64(len(idx))))
		s.Train = append(s.Train, idx[:n]...)
		s.Test = append(s.Test, idx[n:]...)
	}
	return s
}

// LimitPerClass keeps at most n indices of each class from idx (the limited
// original data of the paper's Fig. 4): the first n in idx order when seed is
// 0, else n drawn after a seeded shuffle. Classes keep their idx order.
func LimitPerClass(idx, labels []int, n int, seed uint64) []int {
	perClass := map[int][]int{}
	for _, i := range idx {
		perClass[labels[i]] = append(perClass[labels[i]], i)
	}
	rng := rand.New(rand.NewPCG(seed, 0x11))
	var out []int
	for _, c := range sortedKeys(perClass) {
		g := perClass[c]
		if seed != 0 {
			g = append([]int(nil), g...)
			rng.Shuffle(len(g), func(i, j int) { g[i], g[j] = g[j], g[i] })
		}
		out = append(out, g[:min(n, len(g))]...)
	}
	return out
}

// AnomalySplit is the imbalanced split of the paper's Fig. 5: legitimate
// classes keep all their training traces, anomalous ones only a few.
type AnomalySplit struct {
	Legit, Anomalous []int // class indices, ascending
	Split                  // traces of the chosen classes only
}

// SplitAnomaly picks nLegit + nAnomalous distinct classes with a seeded draw
// (the first nAnomalous drawn are anomalous), keeps all training traces of
// s for the legitimate classes, perAnomaly training traces of each anomalous
// class (its first ones in s.Train order), and the test traces of all chosen
// classes. It returns an error when there are too few classes or an
// anomalous class has fewer than perAnomaly training traces.
func SplitAnomaly(labels []int, s Split, nLegit, nAnomalous, perAnomaly int, seed uint64) (AnomalySplit, error) {
	classes := sortedKeys(byClass(labels))
	if nLegit+nAnomalous > len(classes) {
		return AnomalySplit{}, fmt.Errorf("traffic: anomaly split needs %d classes, data has %d", nLegit+nAnomalous, len(classes))
	}
	rng := rand.New(rand.NewPCG(seed, 0xa7))
	perm := rng.Perm(len(classes))
	var a AnomalySplit
	role := map[int]int{} // class -> 1 legit, 2 anomalous
	for i, p := range perm[:nLegit+nAnomalous] {
		if i < nAnomalous {
			a.Anomalous = append(a.Anomalous, classes[p])
			role[classes[p]] = 2
		} else {
			a.Legit = append(a.Legit, classes[p])
			role[classes[p]] = 1
		}
	}
	sort.Ints(a.Legit)
	sort.Ints(a.Anomalous)
	kept := map[int]int{}
	for _, i := range s.Train {
		c := labels[i]
		if role[c] == 1 || role[c] == 2 && kept[c] < perAnomaly {
			a.Train = append(a.Train, i)
			kept[c]++
		}
	}
	for _, c := range a.Anomalous {
		if kept[c] < perAnomaly {
			return AnomalySplit{}, fmt.Errorf("traffic: anomalous class %d has %d training traces, %d requested", c, kept[c], perAnomaly)
		}
	}
	for _, i := range s.Test {
		if role[labels[i]] != 0 {
			a.Test = append(a.Test, i)
		}
	}
	return a, nil
}

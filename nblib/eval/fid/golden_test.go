package fid

import (
	"bufio"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/netdiffus/netdiffus/internal/npy"
)

// goldenCase is one pair of feature sets stored in testdata as a_<name>.npy and b_<name>.npy.
type goldenCase struct {
	name   string
	n1, n2 int
	d      int
	shift  float64 // added to b's mean
	mix    float64 // strength of the linear mixing applied to b
	seed   uint64
}

var goldenCases = []goldenCase{
	{name: "fullrank", n1: 300, n2: 250, d: 16, shift: 0.3, mix: 0.5, seed: 1},
	{name: "deficient", n1: 40, n2: 30, d: 64, shift: 0.1, mix: 0.3, seed: 2},
	{name: "samedist", n1: 200, n2: 200, d: 8, shift: 0, mix: 0, seed: 3},
	{name: "onefewer", n1: 65, n2: 80, d: 64, shift: 1, mix: 1, seed: 4},
}

// makeGoldenFeatures draws a ~ N(0, L L^T) with a random L and b = a-like draws mixed and shifted.
func makeGoldenFeatures(c goldenCase) (a, b *mat.Dense) {
	rng := rand.New(rand.NewPCG(c.seed, 77))
	l := randomMatrix(rng, c.d, c.d, 1)
	a = correlated(rng, c.n1, l)
	b = correlated(rng, c.n2, l)
	mixer := randomMatrix(rng, c.d, c.d, c.mix)
	for i := range c.d {
		mixer.Set(i, i, mixer.At(i, i)+1)
	}
	var bm mat.Dense
	bm.Mul(b, mixer)
	for i := range c.n2 {
		row := bm.RawRowView(i)
		for j := range row {
			row[j] += c.shift * float64(j%3)
		}
	}
	return a, &bm
}

func randomMatrix(rng *rand.Rand, r, c int, scale float64) *mat.Dense {
	m := mat.NewDense(r, c, nil)
	for i := range r {
		for j := range c {
			m.Set(i, j, scale*rng.NormFloat64()/4)
		}
	}
	return m
}

func correlated(rng *rand.Rand, n int, l *mat.Dense) *mat.Dense {
	_, d := l.Dims()
	z := randomMatrix(rng, n, d, 4)
	var x mat.Dense
	x.Mul(z, l)
	return &x
}

// TestWriteGoldenFeatures regenerates testdata/*.npy; it runs only with NETDIFFUS_WRITE_GOLDEN=1.
// After it, run testdata/make_golden.sh to recompute the reference numbers with SciPy.
func TestWriteGoldenFeatures(t *testing.T) {
	if os.Getenv("NETDIFFUS_WRITE_GOLDEN") != "1" {
		t.Skip("set NETDIFFUS_WRITE_GOLDEN=1 to rewrite testdata/*.npy")
	}
	for _, c := range goldenCases {
		a, b := makeGoldenFeatures(c)
		writeNpy(t, filepath.Join("testdata", "a_"+c.name+".npy"), a)
		writeNpy(t, filepath.Join("testdata", "b_"+c.name+".npy"), b)
	}
}

func writeNpy(t *testing.T, path string, m *mat.Dense) {
	t.Helper()
	r, c := m.Dims()
	if err := npy.WriteFile(path, mat.DenseCopyOf(m).RawMatrix().Data, r, c); err != nil {
		t.Fatal(err)
	}
}

// readNpy reads a 2-D float64 .npy file as a matrix.
func readNpy(t *testing.T, path string) *mat.Dense {
	t.Helper()
	a, err := npy.ReadFile(path, npy.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Shape) != 2 {
		t.Fatalf("%s: shape %v, want a 2-D feature matrix", path, a.Shape)
	}
	v, err := npy.Values[float64](a, path)
	if err != nil {
		t.Fatal(err)
	}
	return mat.NewDense(a.Shape[0], a.Shape[1], v)
}

// readGolden parses testdata/golden.txt: lines "name frechet kid", '#' comments.
func readGolden(t *testing.T) map[string][2]float64 {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "golden.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][2]float64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fs := strings.Fields(line)
		if len(fs) != 3 {
			t.Fatalf("golden.txt: bad line %q", line)
		}
		fr, err1 := strconv.ParseFloat(fs[1], 64)
		kid, err2 := strconv.ParseFloat(fs[2], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("golden.txt: bad numbers in %q", line)
		}
		out[fs[0]] = [2]float64{fr, kid}
	}
	return out
}

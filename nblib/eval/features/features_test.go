package features

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/eval/classify"
	"github.com/netdiffus/netdiffus/nblib/eval/internal/synthdata"
	"gonum.org/v1/gonum/mat"
)

// References from SciPy 1.10 (Debian):
//
//	/usr/bin/python3 -c "from scipy.spatial.distance import jensenshannon as j; \
//	  print(j([1,0],[.5,.5],base=2)**2, j([.1,.2,.7],[.3,.3,.4],base=2)**2)"
//	/usr/bin/python3 -c "from scipy.stats import wasserstein_distance as w; \
//	  print(w([0,1,3],[5,6,8]), w([0,1,2.5,7],[.5,.5,4]))"
//
// printed 0.3112781244591328 0.07489355896415406 and 5.0 1.4583333333333333. Tolerance 1e-12: the same
// float64 formula with a different summation order.
func TestDistancesMatchSciPy(t *testing.T) {
	jsd := []struct {
		p, q []float64
		want float64
	}{
		{[]float64{1, 0}, []float64{0.5, 0.5}, 0.3112781244591328},
		{[]float64{0.1, 0.2, 0.7}, []float64{0.3, 0.3, 0.4}, 0.07489355896415406},
		{[]float64{1, 0}, []float64{0, 1}, 1},
		{[]float64{0.2, 0.8}, []float64{0.2, 0.8}, 0},
	}
	for _, c := range jsd {
		if got, err := JSD(c.p, c.q); err != nil || math.Abs(got-c.want) > 1e-12 {
			t.Errorf("JSD(%v, %v) = %v, %v; want %v", c.p, c.q, got, err, c.want)
		}
	}
	w1 := []struct {
		a, b []float64
		want float64
	}{
		{[]float64{0, 1, 3}, []float64{5, 6, 8}, 5},
		{[]float64{0, 1, 2.5, 7}, []float64{0.5, 0.5, 4}, 1.4583333333333333},
	}
	for _, c := range w1 {
		if got, err := Wasserstein1(c.a, c.b); err != nil || math.Abs(got-c.want) > 1e-12 {
			t.Errorf("Wasserstein1(%v, %v) = %v, %v; want %v", c.a, c.b, got, err, c.want)
		}
	}
}

// The histogram EMD of two point masses one bin apart is one bin width.
func TestHistogramEMDAndPixelHistogram(t *testing.T) {
	a, _ := NewImages("a", 1, 2, 1, [][]float64{{0.05, 0.05}, {0.05, 0.15}})
	b, _ := NewImages("b", 1, 2, 1, [][]float64{{0.15, 0.15}, {0.15, 0.25}})
	ha, err := PixelHistogram(a, 10, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	hb, _ := PixelHistogram(b, 10, 0, 1)
	if ha[0] != 0.75 || ha[1] != 0.25 {
		t.Errorf("histogram %v", ha)
	}
	emd, _ := HistogramEMD(ha, hb, 0.1)
	// Every pixel of b is a's pixel moved one bin up: EMD = 0.1 (to rounding of bin-width sums).
	if math.Abs(emd-0.1) > 1e-12 {
		t.Errorf("EMD %g, want 0.1", emd)
	}
	bad, _ := NewImages("bad", 1, 1, 1, [][]float64{{1.5}})
	if _, err := PixelHistogram(bad, 10, 0, 1); err == nil || !strings.Contains(err.Error(), "image 0 pixel 0 = 1.5 outside") {
		t.Errorf("out-of-range pixel: %v", err)
	}
}

// For x_t = (-1)^t of length n, the mean is 0 (n even) and r_k = (-1)^k (n-k)/n exactly.
func TestAutocorrelationClosedForm(t *testing.T) {
	n := 10
	x := make([]float64, n)
	for i := range x {
		x[i] = float64(1 - 2*(i%2))
	}
	r, err := Autocorrelation(x, 3)
	if err != nil {
		t.Fatal(err)
	}
	for k := 1; k <= 3; k++ {
		want := math.Pow(-1, float64(k)) * float64(n-k) / float64(n)
		if math.Abs(r[k-1]-want) > 1e-15 {
			t.Errorf("r_%d = %g, want %g", k, r[k-1], want)
		}
	}
	if _, err := Autocorrelation([]float64{2, 2, 2}, 1); err == nil {
		t.Error("constant series accepted")
	}
	real := mat.NewDense(2, n, append(append([]float64{}, x...), x...))
	if d, err := AutocorrelationDistance(real, real, 3); err != nil || d != 0 {
		t.Errorf("distance to itself %g, %v", d, err)
	}
}

// PCA of points on the line t(1,1) plus small orthogonal noise: the first axis is (1,1)/sqrt 2 and the
// feature is t*sqrt 2 up to the mean and the noise.
func TestPCARecoversAxis(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	var flat [][]float64
	for range 50 {
		tt, e := rng.NormFloat64(), 1e-3*rng.NormFloat64()
		flat = append(flat, []float64{tt + e, tt - e})
	}
	im, err := NewImages("line", 1, 2, 1, flat)
	if err != nil {
		t.Fatal(err)
	}
	p, err := FitPCA(im, 1)
	if err != nil {
		t.Fatal(err)
	}
	s := 1 / math.Sqrt2
	// The noise tilts the axis by about 1e-3 (noise/spread): allow 1e-2.
	if math.Abs(p.axes.At(0, 0)-s) > 1e-2 || math.Abs(p.axes.At(1, 0)-s) > 1e-2 {
		t.Errorf("axis %v, want (%g, %g)", mat.Formatted(p.axes), s, s)
	}
	f, err := p.Extract(im)
	if err != nil {
		t.Fatal(err)
	}
	if r, c := f.Dims(); r != 50 || c != 1 || p.Name() != "pca-1" {
		t.Errorf("features %dx%d, name %s", r, c, p.Name())
	}
	if _, err := FitPCA(im, 50); err == nil || !strings.Contains(err.Error(), "at least 51 reference images") {
		t.Errorf("too many components: %v", err)
	}
	other, _ := NewImages("other", 2, 1, 1, [][]float64{{1, 2}})
	if _, err := p.Extract(other); err == nil || !strings.Contains(err.Error(), "1x2x1 but input images are 2x1x1") {
		t.Errorf("mismatched size: %v", err)
	}
}

func TestCropTopLeft(t *testing.T) {
	im, _ := NewImages("grid", 3, 3, 1, [][]float64{{1, 2, 3, 4, 5, 6, 7, 8, 9}})
	c, err := im.CropTopLeft(2)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(c.Pixels.RawRowView(0)); got != "[1 2 4 5]" {
		t.Errorf("crop %s", got)
	}
	if _, err := im.CropTopLeft(4); err == nil {
		t.Error("crop larger than the image accepted")
	}
}

func TestNewImagesErrors(t *testing.T) {
	cases := []struct {
		flat [][]float64
		want string
	}{
		{[][]float64{{1, 2}, {1}}, "image 1 has 1 values, want 1x2x1 = 2"},
		{[][]float64{{1, math.NaN()}}, "image 0 pixel 1 is NaN"},
		{nil, "no images"},
	}
	for _, c := range cases {
		if _, err := NewImages("set.npy", 1, 2, 1, c.flat); err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "set.npy") {
			t.Errorf("error %v, want %q naming set.npy", err, c.want)
		}
	}
}

func TestDiscriminativeScore(t *testing.T) {
	a, _ := synthdata.Images(1, 1, 200, 8, 0.2)
	b, _ := synthdata.Images(2, 1, 200, 8, 0.2) // same distribution
	far := mat.DenseCopyOf(b)
	far.Apply(func(_, _ int, v float64) float64 { return v + 1 }, far)
	nb := func(uint64) classify.Classifier { return &classify.GaussianNB{} }
	same, err := DiscriminativeScore(a, b, nb, 1)
	if err != nil {
		t.Fatal(err)
	}
	// 200 test rows: the accuracy of a chance classifier has std 0.035, so 0.15 is > 4 sigma.
	if same > 0.15 {
		t.Errorf("same distribution scores %g", same)
	}
	if s, _ := DiscriminativeScore(a, far, nb, 1); s != 0.5 {
		t.Errorf("shifted by 1 scores %g, want 0.5", s)
	}
}

func ExampleJSD() {
	d, _ := JSD([]float64{1, 0}, []float64{0, 1})
	fmt.Println(d)
	// Output: 1
}

func TestLoadImagesLayouts(t *testing.T) {
	dir := t.TempDir()
	// Two 5x6 images with 2 channels stored as [n, C, H, W]: value = 1000 i + 100 c + (6 y + x).
	chw := make([]float32, 2*2*5*6)
	for i := range 2 {
		for c := range 2 {
			for p := range 30 {
				chw[i*60+c*30+p] = float32(1000*i + 100*c + p)
			}
		}
	}
	path := dir + "/chw.npy"
	writeArray(t, path, []int{2, 2, 5, 6}, chw)
	im, err := LoadImages(path)
	if err != nil {
		t.Fatal(err)
	}
	if im.Height != 5 || im.Width != 6 || im.Channels != 2 {
		t.Fatalf("shape %dx%dx%d", im.Height, im.Width, im.Channels)
	}
	// Image 1, pixel (y=1, x=2) = p 8, channel 1 -> 1000 + 100 + 8, at HWC index (1*6+2)*2+1 = 17.
	if got := im.Pixels.At(1, 17); got != 1108 {
		t.Errorf("pixel %g, want 1108", got)
	}
	labels := dir + "/y.npy"
	writeArray(t, labels, []int{3}, []int64{0, 2, 1})
	if y, err := LoadLabels(labels); err != nil || fmt.Sprint(y) != "[0 2 1]" {
		t.Errorf("labels %v, %v", y, err)
	}
	if _, err := LoadImages(labels); err == nil || !strings.Contains(err.Error(), "shape [3]") {
		t.Errorf("1-D images: %v", err)
	}
}

// writeArray writes a C-ordered .npy (format 1.0) by hand, independently of internal/npy.
func writeArray[T float32 | int64 | uint8](t *testing.T, path string, shape []int, data []T) {
	t.Helper()
	descr := "<f4"
	switch any(data).(type) {
	case []int64:
		descr = "<i8"
	case []uint8:
		descr = "|u1"
	}
	dims := ""
	for _, s := range shape {
		dims += fmt.Sprintf("%d, ", s)
	}
	if len(shape) > 1 {
		dims = strings.TrimSuffix(dims, ", ")
	} else {
		dims = strings.TrimSuffix(dims, " ")
	}
	header := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", descr, dims)
	for (10+len(header)+1)%64 != 0 {
		header += " "
	}
	header += "\n"
	var buf bytes.Buffer
	buf.WriteString("\x93NUMPY\x01\x00")
	binary.Write(&buf, binary.LittleEndian, uint16(len(header)))
	buf.WriteString(header)
	binary.Write(&buf, binary.LittleEndian, data)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestLoadImagesScales8Bit: uint8 images (netdiffus image -save npy) are divided by 255, floats are not.
func TestLoadImagesScales8Bit(t *testing.T) {
	dir := t.TempDir()
	writeArray(t, dir+"/u8.npy", []int{1, 2, 2}, []uint8{0, 51, 255, 102})
	writeArray(t, dir+"/f32.npy", []int{1, 2, 2}, []float32{0, 51, 255, 102})
	u8, err := LoadImages(dir + "/u8.npy")
	if err != nil {
		t.Fatal(err)
	}
	f32, err := LoadImages(dir + "/f32.npy")
	if err != nil {
		t.Fatal(err)
	}
	for j, want := range []float64{0, 0.2, 1, 0.4} {
		if got := u8.Pixels.At(0, j); math.Abs(got-want) > 1e-12 {
			t.Errorf("uint8 pixel %d = %g, want %g", j, got, want)
		}
	}
	if got := f32.Pixels.At(0, 2); got != 255 {
		t.Errorf("float pixel = %g, want 255 (floats are not rescaled)", got)
	}
}

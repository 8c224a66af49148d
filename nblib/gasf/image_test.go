package gasf

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io"
	"math/rand/v2"
	"sync"
	"testing"

	"gonum.org/v1/plot/plotter"

	"github.com/netdiffus/netdiffus/internal/npy"
)

// Compile-time checks of the advertised interfaces.
var (
	_ image.Image     = (*Image)(nil)
	_ plotter.GridXYZ = (*Image)(nil)
	_ color.Model     = color.GrayModel
)

// testImage encodes a fixed random series to an S×S image.
func testImage(t *testing.T, s int) *Image {
	t.Helper()
	img, err := Encode(randomSeries(rand.New(rand.NewPCG(9, 9)), 4*s), DefaultParams(s))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// TestImageViews: At, Gray, Floats and the GridXYZ view agree with Pix;
// GASF images are symmetric.
func TestImageViews(t *testing.T) {
	img := testImage(t, 16)
	g := img.Gray()
	f := img.Floats()
	for y := range 16 {
		for x := range 16 {
			v := img.Pix[y*16+x]
			if img.At(x, y).(color.Gray).Y != v || g.GrayAt(x, y).Y != v || f[y*16+x] != float32(v)/255 {
				t.Fatalf("(%d,%d): views disagree", x, y)
			}
			if img.Z(x, 15-y) != float64(v)/255 {
				t.Fatalf("Z(%d,%d) = %v, want %v", x, 15-y, img.Z(x, 15-y), float64(v)/255)
			}
			if img.Pix[x*16+y] != v {
				t.Fatalf("GASF image not symmetric at (%d,%d)", x, y)
			}
		}
	}
	if c, r := img.Dims(); c != 16 || r != 16 || img.X(3) != 3 || img.Y(4) != 4 {
		t.Error("GridXYZ dims or coordinates wrong")
	}
	if img.At(-1, 0).(color.Gray).Y != 0 {
		t.Error("At outside the bounds is not zero")
	}
	crop := img.Crop(5)
	for y := range 5 {
		for x := range 5 {
			if crop.Pix[y*5+x] != img.Pix[y*16+x] {
				t.Fatalf("crop (%d,%d) differs", x, y)
			}
		}
	}
}

// TestPNGRoundTrip: the PNG decodes to the same gray pixels.
func TestPNGRoundTrip(t *testing.T) {
	img := testImage(t, 12)
	var buf bytes.Buffer
	if err := img.WritePNG(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	gray, ok := back.(*image.Gray)
	if !ok || !bytes.Equal(gray.Pix, img.Pix) {
		t.Fatalf("PNG round trip changed the pixels (type %T)", back)
	}
}

// TestNPYRoundTrip: the .npy writers are read back by internal/npy with the
// right dtype, shape and data, and a shape that does not hold the data is an
// error rather than a panic.
func TestNPYRoundTrip(t *testing.T) {
	img := testImage(t, 8)
	var buf bytes.Buffer
	if err := img.WriteNPY(&buf); err != nil {
		t.Fatal(err)
	}
	a, err := npy.ReadFrom(bytes.NewReader(buf.Bytes()), int64(buf.Len()), npy.Limits{}, "image", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Shape) != 2 || a.Shape[0] != 8 || a.Shape[1] != 8 || a.Descr != "|u1" {
		t.Fatalf("header %+v", a.Header)
	}
	if got, err := npy.Values[uint8](a, "image"); err != nil || !bytes.Equal(got, img.Pix) {
		t.Fatalf("data differs (err %v)", err)
	}
	if a.DataOffset%64 != 0 {
		t.Errorf("header length %d is not a multiple of 64", a.DataOffset)
	}

	st, err := EncodeChannels([][]float64{randomSeries(rand.New(rand.NewPCG(1, 2)), 40), randomSeries(rand.New(rand.NewPCG(3, 4)), 40)}, DefaultParams(8))
	if err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	if err := WriteNPYFloat32(&buf, st.Floats(), 2, 8, 8); err != nil {
		t.Fatal(err)
	}
	a, err = npy.ReadFrom(bytes.NewReader(buf.Bytes()), int64(buf.Len()), npy.Limits{}, "stack", "")
	if err != nil {
		t.Fatal(err)
	}
	f, err := npy.Values[float32](a, "stack")
	if err != nil || len(f) != 128 || f[64] != float32(st.Channels[1].Pix[0])/255 {
		t.Fatalf("float32 stack round trip failed: %v", err)
	}
	if s := a.Shape; len(s) != 3 || s[0] != 2 {
		t.Fatalf("stack shape %v", s)
	}
	if err := WriteNPYUint8(io.Discard, img.Pix, 8, 9); err == nil {
		t.Error("shape (8, 9) for 64 pixels: want an error")
	}
}

// TestEncodeChannels: each channel equals encoding that feature alone;
// errors name the channel.
func TestEncodeChannels(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	feats := [][]float64{randomSeries(rng, 50), randomSeries(rng, 50), randomSeries(rng, 50)}
	st, err := EncodeChannels(feats, DefaultParams(10))
	if err != nil {
		t.Fatal(err)
	}
	for c, x := range feats {
		one, _ := Encode(x, DefaultParams(10))
		if !bytes.Equal(one.Pix, st.Channels[c].Pix) {
			t.Errorf("channel %d differs from its own encoding", c)
		}
	}
	feats[1] = []float64{}
	if _, err := EncodeChannels(feats, DefaultParams(10)); err == nil {
		t.Error("empty channel gave no error")
	}
	if _, err := EncodeChannels(feats, DefaultParams(10), DefaultParams(10)); err == nil {
		t.Error("2 Params for 3 channels gave no error")
	}
}

// TestEncodeBatch: every image arrives once, equal to Encode's, progress
// counts to n, and the first bad series stops the batch with its index.
func TestEncodeBatch(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	xs := make([][]float64, 23)
	for i := range xs {
		xs[i] = randomSeries(rng, 60+i)
	}
	var mu sync.Mutex
	calls := 0
	imgs, err := EncodeAll(xs, DefaultParams(16), func(done, total int) {
		mu.Lock()
		calls++
		if done != calls || total != len(xs) {
			t.Errorf("progress(%d, %d) on call %d", done, total, calls)
		}
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, x := range xs {
		want, _ := Encode(x, DefaultParams(16))
		if !bytes.Equal(imgs[i].Pix, want.Pix) {
			t.Errorf("image %d differs from Encode", i)
		}
	}
	if calls != len(xs) {
		t.Errorf("progress called %d times, want %d", calls, len(xs))
	}
	xs[7] = []float64{1, 2}
	if _, err := EncodeAll(xs, DefaultParams(16), nil); err == nil {
		t.Error("too-short series 7 gave no error")
	} else if !bytes.Contains([]byte(err.Error()), []byte("series 7")) {
		t.Errorf("error %q does not name series 7", err)
	}
}

package inception

import (
	"fmt"
	"math"
	"os"

	"github.com/netdiffus/netdiffus/internal/infile"

	"github.com/nlpodyssey/gopickle/pytorch"
	"github.com/nlpodyssey/gopickle/types"
)

// EnvWeights names the environment variable read when no weights path is given.
const EnvWeights = "NETDIFFUS_INCEPTION_WEIGHTS"

// Weights holds the float32 parameters of a PyTorch state_dict by key.
type Weights struct {
	path   string
	params map[string]param
}

type param struct {
	shape []int
	data  []float32
}

// LoadWeights reads a PyTorch state_dict (.pth). An empty path means the file named by
// $NETDIFFUS_INCEPTION_WEIGHTS.
func LoadWeights(path string) (*Weights, error) {
	if path == "" {
		path = os.Getenv(EnvWeights)
	}
	if path == "" {
		return nil, fmt.Errorf("inception: no weights: pass the path of pytorch-fid's pt_inception-2015-12-05-6726825d.pth or set %s", EnvWeights)
	}
	if err := infile.Check(path, infile.MaxWeights); err != nil {
		return nil, fmt.Errorf("inception: %w", err)
	}
	if err := checkClaims(path); err != nil {
		return nil, fmt.Errorf("inception: %s: %w", path, err)
	}
	obj, err := loadTorch(path)
	if err != nil {
		return nil, fmt.Errorf("inception: %s: %w", path, err)
	}
	dict, ok := obj.(*types.OrderedDict)
	if !ok {
		return nil, fmt.Errorf("inception: %s holds a %T, not a state_dict", path, obj)
	}
	w := &Weights{path: path, params: map[string]param{}}
	for el := dict.List.Front(); el != nil; el = el.Next() {
		e, ok := el.Value.(*types.OrderedDictEntry)
		if !ok {
			continue
		}
		key, ok := e.Key.(string)
		if !ok {
			continue
		}
		t, ok := e.Value.(*pytorch.Tensor)
		if !ok {
			continue
		}
		if _, isFloat := t.Source.(*pytorch.FloatStorage); !isFloat {
			continue // e.g. batch norm's int64 num_batches_tracked
		}
		p, err := tensorData(t)
		if err != nil {
			return nil, fmt.Errorf("inception: %s: %s: %w", path, key, err)
		}
		for i, v := range p.data {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return nil, fmt.Errorf("inception: %s: %s: value %d is %v; the weights are damaged (download pytorch-fid's file again)", path, key, i, v)
			}
		}
		w.params[key] = p
	}
	return w, nil
}

// MaxWeightsBytes bounds the uncompressed size a weights archive may declare (pytorch-fid's
// Inception weights are about 96 MB), so a zip bomb is an error, not gigabytes of memory.
const MaxWeightsBytes = 1 << 30

// legacyMagic starts a legacy (PyTorch < 1.6) .pth: protocol 2, then the pickled magic number
// 0x1950a86a20f9469cfc6c as LONG1.
const legacyMagic = "\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19"

// loadTorch runs gopickle's PyTorch loader, turning its panics on malformed files into errors.
func loadTorch(path string) (obj any, err error) {
	defer func() {
		if p := recover(); p != nil {
			obj, err = nil, fmt.Errorf("malformed PyTorch file (the loader failed: %v)", p)
		}
	}()
	return pytorch.Load(path)
}

// tensorData copies a contiguous float32 tensor.
func tensorData(t *pytorch.Tensor) (param, error) {
	st, ok := t.Source.(*pytorch.FloatStorage)
	if !ok {
		return param{}, fmt.Errorf("storage %T is not float32", t.Source)
	}
	if len(t.Stride) != len(t.Size) || len(t.Size) > 8 || t.StorageOffset < 0 {
		return param{}, fmt.Errorf("tensor header is inconsistent (size %v, stride %v, offset %d)", t.Size, t.Stride, t.StorageOffset)
	}
	for _, d := range t.Size {
		if d < 0 || d > len(st.Data) {
			return param{}, fmt.Errorf("tensor size %v does not fit its storage of %d values", t.Size, len(st.Data))
		}
	}
	n, stride := 1, 1
	for i := len(t.Size) - 1; i >= 0; i-- {
		if t.Size[i] != 0 && n > len(st.Data)/t.Size[i] {
			return param{}, fmt.Errorf("tensor size %v does not fit its storage of %d values", t.Size, len(st.Data))
		}
		if t.Size[i] > 1 && t.Stride[i] != stride {
			return param{}, fmt.Errorf("tensor is not contiguous (size %v, stride %v)", t.Size, t.Stride)
		}
		stride *= t.Size[i]
		n *= t.Size[i]
	}
	if t.StorageOffset > len(st.Data)-n {
		return param{}, fmt.Errorf("tensor of %d values overruns its storage of %d", n, len(st.Data))
	}
	return param{shape: append([]int(nil), t.Size...), data: st.Data[t.StorageOffset : t.StorageOffset+n]}, nil
}

func (w *Weights) get(key string, shape ...int) ([]float32, error) {
	p, ok := w.params[key]
	if !ok {
		return nil, fmt.Errorf("inception: %s lacks %q: is it pytorch-fid's Inception-v3 state_dict?", w.path, key)
	}
	if shape != nil && fmt.Sprint(p.shape) != fmt.Sprint(shape) {
		return nil, fmt.Errorf("inception: %s: %q has shape %v, want %v", w.path, key, p.shape, shape)
	}
	return p.data, nil
}

// basicConv is one folded conv + batch norm: kernel [kh, kw, in, out], per-output scale and shift.
type basicConv struct {
	kh, kw, in, out int
	kernel          []float32
	scale, shift    []float32
}

// conv reads "<name>.conv.weight" and the "<name>.bn.*" statistics and folds them.
func (w *Weights) conv(name string) (basicConv, error) {
	p, ok := w.params[name+".conv.weight"]
	if !ok || len(p.shape) != 4 {
		return basicConv{}, fmt.Errorf("inception: %s lacks a 4-D %q: is it pytorch-fid's Inception-v3 state_dict?", w.path, name+".conv.weight")
	}
	out, in, kh, kw := p.shape[0], p.shape[1], p.shape[2], p.shape[3]
	c := basicConv{kh: kh, kw: kw, in: in, out: out, kernel: make([]float32, len(p.data))}
	for o := range out {
		for i := range in {
			for y := range kh {
				for x := range kw {
					c.kernel[((y*kw+x)*in+i)*out+o] = p.data[((o*in+i)*kh+y)*kw+x]
				}
			}
		}
	}
	var bn [4][]float32
	for k, suffix := range []string{"weight", "bias", "running_mean", "running_var"} {
		v, err := w.get(name+".bn."+suffix, out)
		if err != nil {
			return basicConv{}, err
		}
		bn[k] = v
	}
	c.scale, c.shift = make([]float32, out), make([]float32, out)
	for o := range out {
		s := float64(bn[0][o]) / math.Sqrt(float64(bn[3][o])+1e-3)
		c.scale[o] = float32(s)
		c.shift[o] = float32(float64(bn[1][o]) - float64(bn[2][o])*s)
	}
	return c, nil
}

package baselines

import (
	"fmt"
	"math"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// Norm holds the normalisation constants fitted on the training traces (see the package
// documentation): per field the global minimum and maximum after log1p, and per extra attribute its
// global minimum and maximum.
type Norm struct {
	Min, Max           []float64
	ExtraMin, ExtraMax []float64
}

// Meta is what decoding needs besides the generator: the classes, the normalisation and how decoded
// traces become series. It is stored in every checkpoint.
type Meta struct {
	Classes []string
	Feature traffic.Feature // the real data's default feature
	Step    float64         // seconds between values of ready series (0 for packet traces)
	Norm    Norm
}

// Encoded is a training set in the networks' units: features [N, Length, F] and extra attributes
// [N, ExtraAttributes()] in [0, 1], row-major, with class labels.
type Encoded struct {
	Meta
	Feat   []float32
	Extra  []float32
	Labels []int
}

// Len returns the number of series.
func (e *Encoded) Len() int { return len(e.Labels) }

// rawFields returns a trace's fields [Length][F] in natural units (bytes, seconds, 0/1 direction);
// packet traces shorter than Length are zero padded (padding packets are Down, size 0, gap 0).
func rawFields(cfg Config, ds *traffic.Dataset, t *traffic.Trace) ([][]float64, error) {
	out := make([][]float64, cfg.Length)
	for i := range out {
		out[i] = make([]float64, len(cfg.Fields))
	}
	for f, field := range cfg.Fields {
		switch field.Name {
		case "value":
			s, err := ds.Default.Of(t)
			if err != nil {
				return nil, err
			}
			for i := range min(len(s), cfg.Length) {
				out[i][f] = s[i]
			}
		case "size", "direction", "gap":
			if t.Packets == nil {
				return nil, fmt.Errorf("trace %q has no packets; field %q needs packet traces", t.ID, field.Name)
			}
			for i := range min(len(t.Packets), cfg.Length) {
				p := t.Packets[i]
				switch field.Name {
				case "size":
					out[i][f] = p.Size
				case "direction":
					if p.Dir == traffic.Up {
						out[i][f] = 1
					}
				case "gap":
					if i > 0 {
						out[i][f] = max(p.Time-t.Packets[i-1].Time, 0)
					}
				}
			}
		default:
			return nil, fmt.Errorf("baselines: unknown field %q (value, size, direction or gap)", field.Name)
		}
	}
	return out, nil
}

// forward applies log1p where configured.
func forward(field Field, x float64) float64 {
	if field.Log1p {
		return math.Log1p(max(x, 0))
	}
	return x
}

func inverse(field Field, x float64) float64 {
	if field.Log1p {
		return math.Expm1(x)
	}
	return x
}

func scale(x, lo, hi float64) float64 {
	if hi <= lo {
		return 0.5
	}
	return (x - lo) / (hi - lo)
}

func unscale(y, lo, hi float64) float64 { return lo + y*(hi-lo) }

// Encode fits the normalisation on ds and encodes its traces. cfg.Length (when 0) becomes the length
// of ds.Default and cfg.NumClasses (when 0) its class count; the completed config is returned.
// Traces with a NaN or infinite value, or a negative value in a log1p field, are errors naming them.
func Encode(cfg Config, ds *traffic.Dataset) (Config, *Encoded, error) {
	if ds == nil || len(ds.Traces) == 0 {
		return cfg, nil, fmt.Errorf("baselines: no training traces")
	}
	if cfg.Length == 0 {
		cfg.Length = ds.Default.Length
	}
	if cfg.NumClasses == 0 {
		cfg.NumClasses = len(ds.Classes)
	}
	if err := cfg.Validate(); err != nil {
		return cfg, nil, err
	}
	if cfg.NumClasses != len(ds.Classes) {
		return cfg, nil, fmt.Errorf("baselines: config has %d classes, dataset %s has %d", cfg.NumClasses, ds.Name, len(ds.Classes))
	}
	raw := make([][][]float64, len(ds.Traces))
	for i := range ds.Traces {
		r, err := rawFields(cfg, ds, &ds.Traces[i])
		if err != nil {
			return cfg, nil, fmt.Errorf("baselines: dataset %s: %w", ds.Name, err)
		}
		if err := checkRaw(cfg, r); err != nil {
			return cfg, nil, fmt.Errorf("baselines: dataset %s, trace %q: %w", ds.Name, ds.Traces[i].ID, err)
		}
		raw[i] = r
	}
	e := &Encoded{Meta: Meta{Classes: ds.Classes, Feature: ds.Default, Step: ds.Traces[0].Step, Norm: fitNorm(cfg, raw)}}
	for i, r := range raw {
		feat, extra := e.Norm.encode(cfg, r)
		e.Feat = append(e.Feat, feat...)
		e.Extra = append(e.Extra, extra...)
		e.Labels = append(e.Labels, ds.Traces[i].Class)
	}
	return cfg, e, nil
}

func checkRaw(cfg Config, r [][]float64) error {
	for i, row := range r {
		for f, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("step %d field %s is %v", i, cfg.Fields[f].Name, v)
			}
			if cfg.Fields[f].Log1p && v < 0 {
				return fmt.Errorf("step %d field %s is %g; log1p fields must be >= 0", i, cfg.Fields[f].Name, v)
			}
		}
	}
	return nil
}

// seriesRange returns the minimum and maximum of field f of one series (after log1p).
func seriesRange(field Field, r [][]float64, f int) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, row := range r {
		v := forward(field, row[f])
		lo, hi = min(lo, v), max(hi, v)
	}
	return lo, hi
}

// selfNormed says whether field f is scaled per series.
func selfNormed(cfg Config, f int) bool { return cfg.SelfNorm && !cfg.Fields[f].Binary }

func fitNorm(cfg Config, raw [][][]float64) Norm {
	nf := len(cfg.Fields)
	n := Norm{Min: make([]float64, nf), Max: make([]float64, nf)}
	for f := range nf {
		n.Min[f], n.Max[f] = math.Inf(1), math.Inf(-1)
	}
	ne := cfg.ExtraAttributes()
	n.ExtraMin, n.ExtraMax = make([]float64, ne), make([]float64, ne)
	for k := range ne {
		n.ExtraMin[k], n.ExtraMax[k] = math.Inf(1), math.Inf(-1)
	}
	for _, r := range raw {
		k := 0
		for f, field := range cfg.Fields {
			lo, hi := seriesRange(field, r, f)
			n.Min[f], n.Max[f] = min(n.Min[f], lo), max(n.Max[f], hi)
			if selfNormed(cfg, f) {
				for j, v := range []float64{(hi + lo) / 2, (hi - lo) / 2} {
					n.ExtraMin[k+j], n.ExtraMax[k+j] = min(n.ExtraMin[k+j], v), max(n.ExtraMax[k+j], v)
				}
				k += 2
			}
		}
	}
	return n
}

// encode maps one series to its normalised features and extra attributes.
func (n Norm) encode(cfg Config, r [][]float64) (feat, extra []float32) {
	nf := len(cfg.Fields)
	feat = make([]float32, cfg.Length*nf)
	k := 0
	for f, field := range cfg.Fields {
		lo, hi := n.Min[f], n.Max[f]
		if selfNormed(cfg, f) {
			lo, hi = seriesRange(field, r, f)
			mid, half := (hi+lo)/2, (hi-lo)/2
			extra = append(extra, float32(scale(mid, n.ExtraMin[k], n.ExtraMax[k])), float32(scale(half, n.ExtraMin[k+1], n.ExtraMax[k+1])))
			k += 2
		}
		for i, row := range r {
			v := forward(field, row[f])
			if field.Binary {
				v = math.Round(v)
			} else {
				v = scale(v, lo, hi)
			}
			feat[i*nf+f] = float32(v)
		}
	}
	return feat, extra
}

// decode maps one generated series back to natural units [Length][F].
func (n Norm) decode(cfg Config, feat, extra []float32) [][]float64 {
	nf := len(cfg.Fields)
	out := make([][]float64, cfg.Length)
	for i := range out {
		out[i] = make([]float64, nf)
	}
	k := 0
	for f, field := range cfg.Fields {
		lo, hi := n.Min[f], n.Max[f]
		if selfNormed(cfg, f) {
			mid := unscale(float64(extra[k]), n.ExtraMin[k], n.ExtraMax[k])
			half := max(unscale(float64(extra[k+1]), n.ExtraMin[k+1], n.ExtraMax[k+1]), 0)
			lo, hi = mid-half, mid+half
			k += 2
		}
		for i := range out {
			y := float64(feat[i*nf+f])
			if field.Binary {
				out[i][f] = math.Round(y)
				continue
			}
			v := inverse(field, unscale(y, lo, hi))
			if field.Log1p {
				v = max(v, 0)
			}
			out[i][f] = v
		}
	}
	return out
}

// Traces turns generated features [N, Length, F] and extras [N, Extra] with their labels into a
// dataset shaped like the training data: ready series (field "value") or packet traces (fields
// size, direction, gap; times are the cumulative gaps), with the real data's classes and default
// feature, so the same GASF pipeline applies.
func (e Meta) Traces(cfg Config, name string, feat, extra []float32, labels []int) (*traffic.Dataset, error) {
	nf, ne := len(cfg.Fields), cfg.ExtraAttributes()
	if len(feat) != len(labels)*cfg.Length*nf || len(extra) != len(labels)*ne {
		return nil, fmt.Errorf("baselines: %d feature and %d extra values for %d series of %dx%d and %d extras",
			len(feat), len(extra), len(labels), cfg.Length, nf, ne)
	}
	traces := make([]traffic.Trace, len(labels))
	for s, y := range labels {
		if y < 0 || y >= len(e.Classes) {
			return nil, fmt.Errorf("baselines: generated series %d has label %d of %d classes", s, y, len(e.Classes))
		}
		r := e.Norm.decode(cfg, feat[s*cfg.Length*nf:(s+1)*cfg.Length*nf], extra[s*ne:(s+1)*ne])
		traces[s] = toTrace(cfg, r)
		traces[s].ID = fmt.Sprintf("%s-%05d", name, s)
		traces[s].Label = e.Classes[y]
		traces[s].Step = e.Step
	}
	return traffic.NewDataset(name, traces, e.Classes, e.Feature)
}

func toTrace(cfg Config, r [][]float64) traffic.Trace {
	col := map[string]int{}
	for f, field := range cfg.Fields {
		col[field.Name] = f
	}
	if f, ok := col["value"]; ok {
		v := make([]float64, len(r))
		for i, row := range r {
			v[i] = row[f]
		}
		return traffic.Trace{Values: v}
	}
	p := make([]traffic.Packet, len(r))
	t := 0.0
	for i, row := range r {
		if f, ok := col["gap"]; ok && i > 0 {
			t += row[f]
		}
		p[i].Time, p[i].Dir = t, traffic.Down
		if f, ok := col["size"]; ok {
			p[i].Size = row[f]
		}
		if f, ok := col["direction"]; ok && row[f] > 0.5 {
			p[i].Dir = traffic.Up
		}
	}
	return traffic.Trace{Packets: p}
}

package baselines

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph code reads best with dot-import.
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// Trainer trains the GAN: each step is one discriminator update (WGAN-GP on the main and the
// auxiliary discriminator) and one generator update, with Adam on each. Noise, interpolation weights
// and the batch order are drawn on the host from one seeded PCG stream whose state is checkpointed,
// so a resumed run continues bit for bit.
type Trainer struct {
	Config Config
	Meta   Meta

	backend          compute.Backend
	store            *model.Store
	gen, disc, gstep *model.Exec
	pcg              *rand.PCG
	rng              *rand.Rand
	step             int64
	order            []int // batch order of the current epoch
	pos              int
}

// StepResult reports one training step.
type StepResult struct {
	LossD     float64 // discriminator loss: W-distance terms plus penalties, main + AuxWeight * auxiliary
	LossG     float64 // generator loss
	Penalty   float64 // gradient penalty of the main discriminator
	WDistance float64 // mean D(real) - mean D(fake) of the main discriminator, before the update
}

// New returns a Trainer with fresh weights for cfg (completed by Encode) and the data's Meta.
func New(backend compute.Backend, cfg Config, meta Meta) (*Trainer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	store := model.NewStore()
	if err := initParams(store, cfg); err != nil {
		return nil, err
	}
	return newTrainer(backend, cfg, meta, store)
}

func newTrainer(backend compute.Backend, cfg Config, meta Meta, store *model.Store) (*Trainer, error) {
	pcg := rand.NewPCG(cfg.Seed, 0x6267616e) // "bgan"
	tr := &Trainer{Config: cfg, Meta: meta, backend: backend, store: store, pcg: pcg, rng: rand.New(pcg)}
	var err error
	if tr.gen, err = model.NewExec(backend, store, tr.genGraph); err != nil {
		return nil, err
	}
	if tr.disc, err = model.NewExec(backend, store, tr.discGraph); err != nil {
		return nil, err
	}
	if tr.gstep, err = model.NewExec(backend, store, tr.genStepGraph); err != nil {
		return nil, err
	}
	return tr, nil
}

// Steps returns the training steps done, including those before a resume.
func (tr *Trainer) Steps() int64 { return tr.step }

// Store returns the variables: weights under /gen and /disc, Adam moments under /adam.
func (tr *Trainer) Store() *model.Store { return tr.store }

// NumParameters returns the number of generator and discriminator weights.
func (tr *Trainer) NumParameters() (gen, disc int) {
	for _, p := range params(tr.Config) {
		n := 1
		for _, d := range p.shape {
			n *= d
		}
		if strings.HasPrefix(p.path, genPrefix) {
			gen += n
		} else {
			disc += n
		}
	}
	return gen, disc
}

func (tr *Trainer) newNet(g *Graph) *net {
	// Training mode: otherwise the Go backend embeds variables that hold a value as constants and
	// later updates are not seen (as in the diffusion trainer).
	tr.store.SetTraining(g, true)
	return &net{cfg: tr.Config, store: tr.store, g: g}
}

// genGraph: labels, noiseA, noiseF -> features [, extras].
func (tr *Trainer) genGraph(_ *model.Scope, in []*Node) []*Node {
	n := tr.newNet(in[0].Graph())
	feat, extra := n.generate(in[0], in[1], in[2])
	if extra == nil {
		return []*Node{feat}
	}
	return []*Node{feat, extra}
}

// discGraph: realFeat, fakeFeat, labels, eps, lrT [, realExtra, fakeExtra] -> lossD, penalty, wdist.
func (tr *Trainer) discGraph(_ *model.Scope, in []*Node) []*Node {
	n := tr.newNet(in[0].Graph())
	realFeat, fakeFeat, labels, eps, lrT := in[0], in[1], in[2], in[3], in[4]
	var realExtra, fakeExtra *Node
	if len(in) > 5 {
		realExtra, fakeExtra = in[5], in[6]
	}
	realAttr, fakeAttr := n.attributes(labels, realExtra), n.attributes(labels, fakeExtra)
	dReal, dFake := n.critic(realFeat, realAttr), n.critic(fakeFeat, fakeAttr)
	wdist := Sub(ReduceAllMean(dReal), ReduceAllMean(dFake))
	hatFeat, hatAttr := interpolate(eps, realFeat, fakeFeat), interpolate(eps, realAttr, fakeAttr)
	gp := gradientPenalty(n.critic(hatFeat, hatAttr), hatFeat, hatAttr)
	loss := Add(Neg(wdist), MulScalar(gp, tr.Config.GPWeight))
	if realExtra != nil {
		aReal, aFake := n.auxCritic(realAttr), n.auxCritic(fakeAttr)
		auxGP := gradientPenalty(n.auxCritic(hatAttr), hatAttr)
		aux := Add(Sub(ReduceAllMean(aFake), ReduceAllMean(aReal)), MulScalar(auxGP, tr.Config.GPWeight))
		loss = Add(loss, MulScalar(aux, tr.Config.AuxWeight))
	}
	n.adam(discPrefix, loss, lrT)
	return []*Node{loss, gp, wdist}
}

// genStepGraph: labels, noiseA, noiseF, lrT -> lossG.
func (tr *Trainer) genStepGraph(_ *model.Scope, in []*Node) []*Node {
	n := tr.newNet(in[0].Graph())
	labels := in[0]
	feat, extra := n.generate(labels, in[1], in[2])
	attr := n.attributes(labels, extra)
	loss := Neg(ReduceAllMean(n.critic(feat, attr)))
	if extra != nil {
		loss = Sub(loss, MulScalar(ReduceAllMean(n.auxCritic(attr)), tr.Config.AuxWeight))
	}
	n.adam(genPrefix, loss, in[3])
	return []*Node{loss}
}

// noise draws standard normal noise for b series: [b, NoiseDim] and [b, Cells, NoiseDim].
func (tr *Trainer) noise(b int) (*tensors.Tensor, *tensors.Tensor) {
	z := tr.Config.NoiseDim
	a := make([]float32, b*z)
	f := make([]float32, b*tr.Config.Cells()*z)
	for i := range a {
		a[i] = float32(tr.rng.NormFloat64())
	}
	for i := range f {
		f[i] = float32(tr.rng.NormFloat64())
	}
	return tensors.FromFlatDataAndDimensions(a, b, z), tensors.FromFlatDataAndDimensions(f, b, tr.Config.Cells(), z)
}

func labelTensor(labels []int) *tensors.Tensor {
	l := make([]int32, len(labels))
	for i, v := range labels {
		l[i] = int32(v)
	}
	return tensors.FromFlatDataAndDimensions(l, len(l))
}

// lrT is Adam's bias-corrected learning rate at update t (1-based).
func (tr *Trainer) lrT(t int64) *tensors.Tensor {
	c := tr.Config
	v := c.LearningRate * math.Sqrt(1-math.Pow(c.Beta2, float64(t))) / (1 - math.Pow(c.Beta1, float64(t)))
	return tensors.FromScalar(float32(v))
}

// nextBatch returns the row indices of the next batch: a fresh permutation each epoch.
func (tr *Trainer) nextBatch(n int) ([]int, error) {
	if n < tr.Config.BatchSize {
		return nil, fmt.Errorf("baselines: %d training series for a batch of %d: lower BatchSize", n, tr.Config.BatchSize)
	}
	if tr.order != nil && len(tr.order) != n {
		return nil, fmt.Errorf("baselines: resumed on %d training series, the checkpoint was trained on %d", n, len(tr.order))
	}
	rows := make([]int, tr.Config.BatchSize)
	for i := range rows {
		if tr.order == nil || tr.pos == len(tr.order) {
			tr.order, tr.pos = tr.rng.Perm(n), 0
		}
		rows[i] = tr.order[tr.pos]
		tr.pos++
	}
	return rows, nil
}

// TrainStep runs one discriminator and one generator update on the next batch of data.
func (tr *Trainer) TrainStep(data *Encoded) (StepResult, error) {
	if err := tr.checkData(data); err != nil {
		return StepResult{}, err
	}
	rows, err := tr.nextBatch(data.Len())
	if err != nil {
		return StepResult{}, err
	}
	b, tf, ne := len(rows), tr.Config.Length*len(tr.Config.Fields), tr.Config.ExtraAttributes()
	realFeat, realExtra, labels := make([]float32, 0, b*tf), make([]float32, 0, b*ne), make([]int, b)
	for i, r := range rows {
		realFeat = append(realFeat, data.Feat[r*tf:(r+1)*tf]...)
		realExtra = append(realExtra, data.Extra[r*ne:(r+1)*ne]...)
		labels[i] = data.Labels[r]
	}
	lt := labelTensor(labels)
	na, nf := tr.noise(b)
	fake, err := tr.gen.Call(lt, na, nf)
	if err != nil {
		return StepResult{}, fmt.Errorf("baselines: step %d: generator: %w", tr.step+1, err)
	}
	eps := make([]float32, b)
	for i := range eps {
		eps[i] = float32(tr.rng.Float64())
	}
	lrT := tr.lrT(tr.step + 1)
	args := []any{tensors.FromFlatDataAndDimensions(realFeat, b, tr.Config.Length, len(tr.Config.Fields)), fake[0], lt,
		tensors.FromFlatDataAndDimensions(eps, b), lrT}
	if ne > 0 {
		args = append(args, tensors.FromFlatDataAndDimensions(realExtra, b, ne), fake[1])
	}
	d, err := tr.disc.Call(args...)
	if err != nil {
		return StepResult{}, fmt.Errorf("baselines: step %d: discriminator update: %w", tr.step+1, err)
	}
	na, nf = tr.noise(b)
	g, err := tr.gstep.Call(lt, na, nf, lrT)
	if err != nil {
		return StepResult{}, fmt.Errorf("baselines: step %d: generator update: %w", tr.step+1, err)
	}
	tr.step++
	return StepResult{LossD: scalar(d[0]), Penalty: scalar(d[1]), WDistance: scalar(d[2]), LossG: scalar(g[0])}, nil
}

func (tr *Trainer) checkData(data *Encoded) error {
	tf, ne := tr.Config.Length*len(tr.Config.Fields), tr.Config.ExtraAttributes()
	n := data.Len()
	if len(data.Feat) != n*tf || len(data.Extra) != n*ne {
		return fmt.Errorf("baselines: encoded data holds %d feature and %d extra values for %d series; the config wants %d and %d per series (encode the data with this config)",
			len(data.Feat), len(data.Extra), n, tf, ne)
	}
	for i, y := range data.Labels {
		if y < 0 || y >= tr.Config.NumClasses {
			return fmt.Errorf("baselines: training series %d has label %d outside [0, %d)", i, y, tr.Config.NumClasses)
		}
	}
	return nil
}

func scalar(t *tensors.Tensor) float64 {
	switch v := t.Value().(type) {
	case float32:
		return float64(v)
	case float64:
		return v
	}
	panic(fmt.Sprintf("baselines: unexpected scalar %v", t))
}

// Generate draws counts[c] series of each class c, in class order, in batches of BatchSize, with
// noise from a PCG stream seeded by seed (the training stream is left untouched). It returns the
// networks' outputs: features [N, Length, F], extras [N, Extra] and the labels.
func (tr *Trainer) Generate(counts []int, seed uint64) (feat, extra []float32, labels []int, err error) {
	if len(counts) != tr.Config.NumClasses {
		return nil, nil, nil, fmt.Errorf("baselines: %d counts for %d classes", len(counts), tr.Config.NumClasses)
	}
	for c, k := range counts {
		if k < 0 {
			return nil, nil, nil, fmt.Errorf("baselines: negative count %d for class %d", k, c)
		}
		for range k {
			labels = append(labels, c)
		}
	}
	saved, savedRng := tr.pcg, tr.rng
	tr.pcg = rand.NewPCG(seed, 0x73616d70) // "samp"
	tr.rng = rand.New(tr.pcg)
	defer func() { tr.pcg, tr.rng = saved, savedRng }()
	bs := tr.Config.BatchSize
	for start := 0; start < len(labels); start += bs {
		batch := make([]int, bs) // a full batch keeps one compiled shape; the tail is cut
		copy(batch, labels[start:min(start+bs, len(labels))])
		na, nf := tr.noise(bs)
		out, err := tr.gen.Call(labelTensor(batch), na, nf)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("baselines: generating: %w", err)
		}
		k := min(bs, len(labels)-start)
		f := tensors.MustCopyFlatData[float32](out[0])
		feat = append(feat, f[:k*len(f)/bs]...)
		if len(out) > 1 {
			e := tensors.MustCopyFlatData[float32](out[1])
			extra = append(extra, e[:k*len(e)/bs]...)
		}
	}
	return feat, extra, labels, nil
}

// Sample draws counts[c] series per class and decodes them into a dataset named name, shaped like
// the training data (see Meta.Traces).
func (tr *Trainer) Sample(counts []int, seed uint64, name string) (*traffic.Dataset, error) {
	feat, extra, labels, err := tr.Generate(counts, seed)
	if err != nil {
		return nil, err
	}
	return tr.Meta.Traces(tr.Config, name, feat, extra, labels)
}

// Progress is reported during Run.
type Progress struct {
	Step       int64
	Last       StepResult
	MeanLossD  float64 // since the previous report
	MeanLossG  float64
	StepsPerS  float64
	Elapsed    time.Duration
	Checkpoint string // folder written at this step, if any
}

// RunConfig says how long to train and what to report. A zero field disables its feature.
type RunConfig struct {
	MaxSteps        int64 // stop when Steps() reaches this
	TimeBudget      time.Duration
	ReportEvery     int // default 10
	Progress        func(Progress)
	CheckpointDir   string // a final checkpoint is always written when set
	CheckpointEvery int
	Keep            int // checkpoints kept (0: all)
}

// Run trains until MaxSteps, TimeBudget or ctx stops it and returns the last report.
func (tr *Trainer) Run(ctx context.Context, data *Encoded, rc RunConfig) (Progress, error) {
	if rc.MaxSteps <= 0 && rc.TimeBudget <= 0 {
		return Progress{}, fmt.Errorf("baselines: Run needs MaxSteps or TimeBudget")
	}
	if rc.ReportEvery <= 0 {
		rc.ReportEvery = 10
	}
	start, windowStart := time.Now(), time.Now()
	last := Progress{Step: tr.step}
	var sumD, sumG float64
	var k int
	for (rc.MaxSteps <= 0 || tr.step < rc.MaxSteps) && (rc.TimeBudget <= 0 || time.Since(start) < rc.TimeBudget) && ctx.Err() == nil {
		r, err := tr.TrainStep(data)
		if err != nil {
			return last, err
		}
		sumD, sumG, k = sumD+r.LossD, sumG+r.LossG, k+1
		last = Progress{Step: tr.step, Last: r, Elapsed: time.Since(start)}
		if rc.CheckpointDir != "" && rc.CheckpointEvery > 0 && tr.step%int64(rc.CheckpointEvery) == 0 {
			if last.Checkpoint, err = tr.Save(rc.CheckpointDir, rc.Keep); err != nil {
				return last, err
			}
		}
		if tr.step%int64(rc.ReportEvery) == 0 || last.Checkpoint != "" {
			last.MeanLossD, last.MeanLossG = sumD/float64(k), sumG/float64(k)
			last.StepsPerS = float64(k) / time.Since(windowStart).Seconds()
			if rc.Progress != nil {
				rc.Progress(last)
			}
			sumD, sumG, k, windowStart = 0, 0, 0, time.Now()
		}
	}
	if rc.CheckpointDir != "" && last.Checkpoint == "" {
		var err error
		if last.Checkpoint, err = tr.Save(rc.CheckpointDir, rc.Keep); err != nil {
			return last, err
		}
	}
	return last, nil
}

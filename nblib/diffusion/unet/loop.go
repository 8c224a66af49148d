package unet

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/netdiffus/netdiffus/nblib/diffusion"
)

// Batches yields training batches: images in [-1, 1] shaped [B, ExampleShape...] and their labels.
type Batches interface {
	Next() (diffusion.Array, []int, error)
}

// Progress is reported after training steps.
type Progress struct {
	Step         int64         // steps done in total (including before a resume)
	Loss         float64       // loss of the last step
	MeanLoss     float64       // mean loss since the previous report
	GradNorm     float64       // gradient norm of the last step, before clipping
	ImagesPerSec float64       // training throughput since the previous report
	Elapsed      time.Duration // wall time of this Run so far
	Checkpoint   string        // folder of a checkpoint written at this step, if any
}

// RunConfig says how long to train and what to do along the way. A zero field disables its feature.
type RunConfig struct {
	MaxSteps        int64         // stop when Trainer.Steps() reaches this
	TimeBudget      time.Duration // stop after this much wall time
	ReportEvery     int           // call Progress every this many steps (default 10)
	Progress        func(Progress)
	CheckpointDir   string // where Save writes; a final checkpoint is always written when set
	CheckpointEvery int    // steps between checkpoints
	Keep            int    // checkpoints kept (0: all)
	// SampleEvery calls OnSample with a small DDIM sample grid of the EMA model every this many steps.
	SampleEvery int
	OnSample    func(step int64, images diffusion.Array, labels []int)
}

// Run trains until MaxSteps, TimeBudget or ctx stops it (at least one of the first two must be set).
// It returns the last progress report.
func (tr *Trainer) Run(ctx context.Context, data Batches, rc RunConfig) (Progress, error) {
	if rc.MaxSteps <= 0 && rc.TimeBudget <= 0 {
		return Progress{}, fmt.Errorf("unet: Run needs MaxSteps or TimeBudget")
	}
	if rc.ReportEvery <= 0 {
		rc.ReportEvery = 10
	}
	start := time.Now()
	last := Progress{Step: tr.step}
	window, windowStart, windowImages, windowSteps := 0.0, time.Now(), 0, 0
	for (rc.MaxSteps <= 0 || tr.step < rc.MaxSteps) && (rc.TimeBudget <= 0 || time.Since(start) < rc.TimeBudget) {
		if err := ctx.Err(); err != nil {
			break
		}
		x, labels, err := data.Next()
		if err != nil {
			return last, err
		}
		r, err := tr.TrainStep(x, labels)
		if err != nil {
			return last, err
		}
		window += r.Loss
		windowImages += x.Batch()
		windowSteps++
		last = Progress{Step: tr.step, Loss: r.Loss, GradNorm: r.GradNorm, Elapsed: time.Since(start)}
		if rc.CheckpointDir != "" && rc.CheckpointEvery > 0 && tr.step%int64(rc.CheckpointEvery) == 0 {
			if last.Checkpoint, err = tr.Save(rc.CheckpointDir, rc.Keep); err != nil {
				return last, err
			}
		}
		if rc.SampleEvery > 0 && rc.OnSample != nil && tr.step%int64(rc.SampleEvery) == 0 {
			if err := tr.sampleGrid(rc.OnSample); err != nil {
				return last, err
			}
		}
		if tr.step%int64(rc.ReportEvery) == 0 || last.Checkpoint != "" {
			last.MeanLoss = window / float64(windowSteps)
			last.ImagesPerSec = float64(windowImages) / time.Since(windowStart).Seconds()
			if rc.Progress != nil {
				rc.Progress(last)
			}
			window, windowStart, windowImages, windowSteps = 0, time.Now(), 0, 0
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

// sampleGrid draws one DDIM-25 sample per class (up to 8) with the EMA weights, or the raw weights
// when EMA is off.
func (tr *Trainer) sampleGrid(onSample func(int64, diffusion.Array, []int)) error {
	d, err := tr.Denoiser(tr.Config.Train.EMADecay > 0)
	if err != nil {
		return err
	}
	counts := make([]int, min(max(tr.Config.Net.NumClasses, 1), 8))
	for i := range counts {
		counts[i] = 1
	}
	x, labels, err := tr.Schedule.SampleClasses(context.Background(), d, counts, diffusion.SampleConfig{
		Sampler: diffusion.DDIM, Steps: min(25, tr.Schedule.Steps()), ExampleShape: tr.Config.Net.ExampleShape(),
		Variance: tr.Config.Net.Variance(),
		Seed:     uint64(tr.step), ClipDenoised: true})
	if err != nil {
		return err
	}
	onSample(tr.step, x, labels)
	return nil
}

// Shuffler cycles through an in-memory dataset in random order, one reshuffle per epoch.
type Shuffler struct {
	images diffusion.Array
	labels []int
	batch  int
	order  []int
	pos    int
	rng    *rand.Rand
}

// NewShuffler returns batches of size batch drawn without replacement from images (values in
// [-1, 1], [N, ExampleShape...]) and labels. Images are never flipped or otherwise augmented (a
// flip would break GASF symmetry).
func NewShuffler(images diffusion.Array, labels []int, batch int, seed uint64) (*Shuffler, error) {
	if err := images.Check(); err != nil {
		return nil, err
	}
	if len(labels) != images.Batch() {
		return nil, fmt.Errorf("unet: %d labels for %d images", len(labels), images.Batch())
	}
	if batch < 1 || batch > images.Batch() {
		return nil, fmt.Errorf("unet: batch %d for a dataset of %d images", batch, images.Batch())
	}
	s := &Shuffler{images: images, labels: labels, batch: batch, rng: rand.New(rand.NewPCG(seed, 7))}
	s.order = s.rng.Perm(images.Batch())
	return s, nil
}

// Next implements Batches.
func (s *Shuffler) Next() (diffusion.Array, []int, error) {
	out := diffusion.NewArray(append([]int{s.batch}, s.images.Shape[1:]...)...)
	labels := make([]int, s.batch)
	n := s.images.ExampleSize()
	for i := range s.batch {
		if s.pos == len(s.order) {
			s.order, s.pos = s.rng.Perm(len(s.order)), 0
		}
		j := s.order[s.pos]
		s.pos++
		copy(out.Data[i*n:(i+1)*n], s.images.Example(j))
		labels[i] = s.labels[j]
	}
	return out, labels, nil
}

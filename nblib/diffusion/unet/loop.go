package unet

import (
	"context"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"os"
	"path/filepath"
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
	MaxSteps      int64         // stop when Trainer.Steps() reaches this
	TimeBudget    time.Duration // stop after this much wall time
	ReportEvery   int           // call Progress every this many steps (default 10)
	Progress      func(Progress)
	CheckpointDir string // where Save writes; a final checkpoint is always written when set
	// Locked says the caller already holds CheckpointDir's lock (LockDir), so Run does not take it.
	Locked          bool
	CheckpointEvery int // steps between checkpoints
	Keep            int // checkpoints kept (0: all)
	// SampleEvery calls OnSample with a small DDIM sample grid of the EMA model every this many steps.
	SampleEvery int
	OnSample    func(step int64, images diffusion.Array, labels []int)
}

// BatchSeeker is implemented by batch sources whose order is a function of the batch index (Shuffler):
// Run calls SeekBatch(Steps()) before its first batch, so a resumed trainer sees exactly the batches an
// uninterrupted run would have seen.
type BatchSeeker interface {
	SeekBatch(step int64) error
}

// Run trains until MaxSteps, TimeBudget or ctx stops it (at least one of the first two must be set).
// It returns the last progress report. With a CheckpointDir, Run first takes the folder's exclusive
// lock (LockDir: a second trainer on the folder fails at once, and an unwritable folder fails before
// any work; RunConfig.Locked when the caller holds it) and removes partial checkpoints a killed run left. A data source that is a BatchSeeker is
// positioned at batch Steps().
func (tr *Trainer) Run(ctx context.Context, data Batches, rc RunConfig) (Progress, error) {
	if rc.MaxSteps <= 0 && rc.TimeBudget <= 0 {
		return Progress{}, fmt.Errorf("unet: Run needs MaxSteps or TimeBudget")
	}
	if rc.ReportEvery <= 0 {
		rc.ReportEvery = 10
	}
	if rc.CheckpointDir != "" {
		if !rc.Locked {
			unlock, err := LockDir(rc.CheckpointDir)
			if err != nil {
				return Progress{Step: tr.step}, err
			}
			defer unlock()
		}
		removePartials(rc.CheckpointDir)
	}
	if s, ok := data.(BatchSeeker); ok {
		if err := s.SeekBatch(tr.step); err != nil {
			return Progress{Step: tr.step}, err
		}
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

// removePartials deletes the temporary folders of checkpoints whose writer died (the caller holds
// the folder's lock, so none is being written).
func removePartials(dir string) {
	partials, _ := filepath.Glob(filepath.Join(dir, ".partial-*"))
	for _, p := range partials {
		os.RemoveAll(p)
	}
}

// Shuffler cycles through an in-memory dataset in random order, one reshuffle per epoch. The order
// of epoch e is a permutation drawn from PCG(seed, 7+e·φ) alone (φ = 0x9E3779B97F4A7C15), so batch k
// is a function of (seed, k): SeekBatch(k) replays it after a resume.
type Shuffler struct {
	images diffusion.Array
	labels []int
	batch  int
	seed   uint64
	epoch  uint64
	order  []int
	pos    int
}

// NewShuffler returns batches of size batch drawn without replacement from images (values in
// [-1, 1], [N, ExampleShape...]) and labels. Images are never flipped or otherwise augmented (a
// flip would break GASF symmetry). Pass the run's seed unchanged on resume: Run seeks to the step.
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
	s := &Shuffler{images: images, labels: labels, batch: batch, seed: seed}
	s.order = s.permutation(0)
	return s, nil
}

func (s *Shuffler) permutation(epoch uint64) []int {
	return rand.New(rand.NewPCG(s.seed, 7+epoch*0x9E3779B97F4A7C15)).Perm(s.images.Batch())
}

// SeekBatch positions the shuffler so that the next batch is batch number step (0-based) of its
// sequence: after step batches of an uninterrupted run.
func (s *Shuffler) SeekBatch(step int64) error {
	if step < 0 {
		return fmt.Errorf("unet: SeekBatch(%d): negative step", step)
	}
	n := uint64(s.images.Batch())
	hi, done := bits.Mul64(uint64(step), uint64(s.batch))
	if hi != 0 {
		return fmt.Errorf("unet: SeekBatch(%d): step overflows", step)
	}
	if e := done / n; e != s.epoch || s.order == nil {
		s.epoch, s.order = e, s.permutation(e)
	}
	s.pos = int(done % n)
	return nil
}

// Next implements Batches.
func (s *Shuffler) Next() (diffusion.Array, []int, error) {
	out := diffusion.NewArray(append([]int{s.batch}, s.images.Shape[1:]...)...)
	labels := make([]int, s.batch)
	n := s.images.ExampleSize()
	for i := range s.batch {
		if s.pos == len(s.order) {
			s.epoch++
			s.order, s.pos = s.permutation(s.epoch), 0
		}
		j := s.order[s.pos]
		s.pos++
		copy(out.Data[i*n:(i+1)*n], s.images.Example(j))
		labels[i] = s.labels[j]
	}
	return out, labels, nil
}

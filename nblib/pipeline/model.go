package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/netdiffus/netdiffus/internal/infile"

	"github.com/gomlx/compute"

	"github.com/netdiffus/netdiffus/internal/atomicfile"
	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/diffusion/unet"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// Files the pipeline keeps beside a model's checkpoints.
const (
	LossFile = "loss.json"     // the loss curve, []LossPoint
	InfoFile = "pipeline.json" // ModelInfo: class names and the effective preset
)

// LossPoint is the mean training loss between two reports.
type LossPoint struct {
	Step int64
	Loss float64
}

// ModelInfo describes what a model folder was trained on, so later commands (sample, generate, eval)
// need only the folder.
type ModelInfo struct {
	Data    string       // the data's name (a default dataset or the training file)
	Classes []string     // class names, in label order
	Ranges  [][2]float64 `json:",omitempty"` // per class: mean min and max of the real training series
	Counts  []int        // training examples per class (the default synthetic counts)
	// TrainSeconds is the wall time of every training run of the model together; ImagesPerSec the
	// throughput at the last report.
	TrainSeconds, ImagesPerSec float64
	Preset                     preset.Preset // the effective preset of the last training run
}

// ReadInfo returns the description stored in a model folder; ok is false when it has none.
func ReadInfo(dir string) (info ModelInfo, ok bool, err error) {
	raw, err := infile.ReadFile(filepath.Join(dir, InfoFile), infile.MaxJSON)
	if errors.Is(err, fs.ErrNotExist) {
		return info, false, nil
	}
	if err == nil {
		err = json.Unmarshal(raw, &info)
	}
	if err != nil {
		return info, false, fmt.Errorf("pipeline: %s: %w (delete it to fall back to numbered classes)", filepath.Join(dir, InfoFile), err)
	}
	return info, true, nil
}

// Model is a trained (or resumed) model with its history.
type Model struct {
	Dir          string
	Trainer      *unet.Trainer
	Info         ModelInfo
	Loss         []LossPoint
	ImagesPerSec float64 // training throughput at the last report of this process (0 when it trained nothing)
	TrainSeconds float64 // wall time of this process's training
}

// Config returns the model's U-Net configuration.
func (m *Model) Config() unet.Config { return m.Trainer.Config }

// TrainOptions are the optional parts of Train.
type TrainOptions struct {
	Log io.Writer // progress lines every fifth report (nil: none)
	// Observer is called with every progress report (every Train.ReportEvery steps), e.g. by a live
	// notebook view.
	Observer   func(unet.Progress)
	TimeBudget time.Duration // stop after this much wall time (0: none); the model stays resumable
	// SampleEvery calls OnSample with a small sample grid of the EMA model (model range) every this
	// many steps (0: never), e.g. for a live view of the samples.
	SampleEvery int
	OnSample    func(step int64, images diffusion.Array, labels []int)
}

// Train trains the preset's model on x (model range, shaped for p.Net) and labels y of numClasses
// classes in folder dir, resuming from the newest checkpoint there. A folder holding a model of
// another configuration is an error listing the differing fields; one that has trained more steps
// than p.Train.Steps is an error too. Training stops at p.Train.Steps (or the time budget, or when ctx
// ends: then the error says so and the checkpoints stay resumable).
func Train(ctx context.Context, b compute.Backend, p preset.Preset, dir string, x diffusion.Array, y []int, info ModelInfo, opt TrainOptions) (*Model, error) {
	if dir == "" {
		return nil, errors.New("pipeline: Train needs a model folder")
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	cfg := p.Model(len(info.Classes))
	if want := cfg.Net.ExampleShape(); !reflect.DeepEqual(x.Shape[1:], want) {
		return nil, fmt.Errorf("pipeline: the training examples are shaped %v, the model (Net.Dims %d, Net.Size %d) takes %v",
			x.Shape[1:], cfg.Net.Dims, cfg.Net.Size, want)
	}
	for i, l := range y {
		if l < 0 || l >= len(info.Classes) {
			return nil, fmt.Errorf("pipeline: label %d of example %d is outside the %d classes", l, i, len(info.Classes))
		}
	}
	// The lock comes first: reading the checkpoints and writing pipeline.json and loss.json belong to
	// the one trainer of the folder.
	unlock, err := unet.LockDir(dir)
	if err != nil {
		return nil, err
	}
	defer unlock()
	tr, err := openOrNew(b, dir, cfg, p.Train.Steps)
	if err != nil {
		return nil, err
	}
	if _, err := tr.SetDevices(p.Train.Devices); err != nil {
		return nil, fmt.Errorf("pipeline: %s: %w", dir, err)
	}
	info.Preset = p
	if old, ok, err := ReadInfo(dir); err == nil && ok {
		info.TrainSeconds, info.ImagesPerSec = old.TrainSeconds, old.ImagesPerSec
	}
	if info.Counts == nil {
		info.Counts = Counts(y, len(info.Classes))
	}
	m := &Model{Dir: dir, Trainer: tr, Info: info}
	if m.Loss, err = readLoss(dir, tr.Steps()); err != nil {
		return nil, err
	}
	if err := m.writeInfo(); err != nil {
		return nil, err
	}
	if tr.Steps() == p.Train.Steps {
		return m, nil
	}
	if opt.Log != nil && tr.Steps() > 0 {
		fmt.Fprintf(opt.Log, "resumed %s at step %d\n", dir, tr.Steps())
	}
	return m, m.run(ctx, p, x, y, opt)
}

func (m *Model) run(ctx context.Context, p preset.Preset, x diffusion.Array, y []int, opt TrainOptions) error {
	tr := m.Trainer
	batch := min(p.Train.BatchSize, x.Batch())
	shuffler, err := unet.NewShuffler(x, y, batch, p.Train.Seed)
	if err != nil {
		return err
	}
	report := p.Train.ReportEvery
	if report <= 0 {
		report = max(int(p.Train.Steps/20), 1)
	}
	every := p.Train.CheckpointEvery
	if every <= 0 {
		every = max(int(p.Train.Steps/4), 50)
	}
	start := time.Now()
	resumedPoints := len(m.Loss)
	var lossErr error // the first failure to keep the loss curve on disk
	last, err := tr.Run(ctx, shuffler, unet.RunConfig{
		MaxSteps: p.Train.Steps, TimeBudget: opt.TimeBudget, ReportEvery: report, CheckpointDir: m.Dir, Locked: true, CheckpointEvery: every, Keep: p.Train.Keep,
		SampleEvery: opt.SampleEvery, OnSample: opt.OnSample,
		Progress: func(pr unet.Progress) {
			m.Loss = append(m.Loss, LossPoint{pr.Step, pr.MeanLoss})
			m.ImagesPerSec = pr.ImagesPerSec
			// Kept on disk at every report, so a killed run's resume has the curve up to its checkpoint
			// (readLoss drops the points after it).
			if werr := writeLoss(m.Dir, m.Loss); werr != nil && lossErr == nil {
				lossErr = werr
			}
			// The first report of the run too: it says early that training runs and at what rate.
			if opt.Log != nil && (pr.Step%int64(report*5) == 0 || pr.Step == p.Train.Steps || len(m.Loss) == resumedPoints+1) {
				fmt.Fprintf(opt.Log, "step %5d/%d  loss %.4f  %.1f images/s  %s\n", pr.Step, p.Train.Steps, pr.MeanLoss, pr.ImagesPerSec, pr.Elapsed.Round(time.Second))
			}
			if opt.Observer != nil {
				opt.Observer(pr)
			}
		},
	})
	m.TrainSeconds = time.Since(start).Seconds()
	m.Info.TrainSeconds += m.TrainSeconds
	if m.ImagesPerSec > 0 {
		m.Info.ImagesPerSec = m.ImagesPerSec
	}
	if werr := errors.Join(lossErr, writeLoss(m.Dir, m.Loss)); werr != nil && err == nil {
		err = werr
	}
	if werr := m.writeInfo(); werr != nil && err == nil {
		err = werr
	}
	if err != nil {
		return fmt.Errorf("pipeline: training: %w (checkpoints in %s)", err, m.Dir)
	}
	if last.Step < p.Train.Steps && opt.TimeBudget == 0 {
		return fmt.Errorf("pipeline: training stopped at step %d of %d: %v (resume from %s)", last.Step, p.Train.Steps, ctx.Err(), m.Dir)
	}
	return nil
}

// openOrNew resumes the newest checkpoint in dir after checking its configuration, or makes cfg.
func openOrNew(b compute.Backend, dir string, cfg unet.Config, steps int64) (*unet.Trainer, error) {
	ckpts, err := unet.Checkpoints(dir)
	if err != nil || len(ckpts) == 0 {
		return unet.New(b, cfg)
	}
	tr, err := unet.Resume(b, dir)
	if err != nil {
		return nil, err
	}
	if diff := ConfigDiff(tr.Config, cfg); len(diff) > 0 {
		return nil, fmt.Errorf("pipeline: the model in %s has another configuration (%s): use another model folder, or the settings it was trained with",
			dir, strings.Join(diff, "; "))
	}
	if tr.Steps() > steps {
		return nil, fmt.Errorf("pipeline: the model in %s has trained %d steps, more than the %d asked for: raise Train.Steps or use another folder",
			dir, tr.Steps(), steps)
	}
	return tr, nil
}

// ConfigDiff lists the fields of Net and Train in which two model configurations differ, as
// "Net.Size 16 (folder) vs 32 (asked)"; the names are ignored. A field one side lacks (a folder made
// before the field existed) differs from any value the other side has, except that an unset
// Train.Prediction means eps.
func ConfigDiff(have, want unet.Config) []string {
	flat := func(c unet.Config) map[string]string {
		c.Train.Prediction = c.Train.Prediction.OrEps()
		out := map[string]string{}
		for section, v := range map[string]any{"Net": c.Net, "Train": c.Train} {
			b, _ := json.Marshal(v)
			var m map[string]json.RawMessage
			_ = json.Unmarshal(b, &m)
			for k, raw := range m {
				out[section+"."+k] = string(raw)
			}
		}
		return out
	}
	h, w := flat(have), flat(want)
	keys := map[string]bool{}
	for k := range h {
		keys[k] = true
	}
	for k := range w {
		keys[k] = true
	}
	var out []string
	for k := range keys {
		hv, hok := h[k]
		wv, wok := w[k]
		if !hok {
			hv = "(unset)"
		}
		if !wok {
			wv = "(unset)"
		}
		if hv != wv && !(isEmptyList(hv) && isEmptyList(wv)) {
			out = append(out, fmt.Sprintf("%s %s (folder) vs %s (asked)", k, hv, wv))
		}
	}
	sort.Strings(out)
	return out
}

func isEmptyList(s string) bool { return s == "null" || s == "[]" }

// Open resumes the model in dir for sampling, with its description and loss curve.
func Open(b compute.Backend, dir string) (*Model, error) {
	tr, err := unet.Resume(b, dir)
	if err != nil {
		return nil, err
	}
	m := &Model{Dir: dir, Trainer: tr}
	info, ok, err := ReadInfo(dir)
	if err != nil {
		return nil, err
	}
	m.Info = info
	if !ok { // a folder trained by unet alone: numbered classes
		for c := range max(tr.Config.Net.NumClasses, 1) {
			m.Info.Classes = append(m.Info.Classes, fmt.Sprintf("class%d", c))
		}
	}
	if m.Loss, err = readLoss(dir, tr.Steps()); err != nil {
		return nil, err
	}
	return m, nil
}

func (m *Model) writeInfo() error {
	b, err := json.MarshalIndent(m.Info, "", " ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(m.Dir, InfoFile), b)
}

// readLoss returns the stored curve up to step (later points belong to steps the checkpoint lost).
func readLoss(dir string, step int64) ([]LossPoint, error) {
	b, err := infile.ReadFile(filepath.Join(dir, LossFile), infile.MaxCSV)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	var curve []LossPoint
	if err == nil {
		err = json.Unmarshal(b, &curve)
	}
	if err != nil {
		return nil, fmt.Errorf("pipeline: loss curve of %s: %w (delete %s to start the curve afresh)", dir, err, LossFile)
	}
	for len(curve) > 0 && curve[len(curve)-1].Step > step {
		curve = curve[:len(curve)-1]
	}
	return curve, nil
}

func writeLoss(dir string, curve []LossPoint) error {
	b, err := json.Marshal(curve)
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(dir, LossFile), b)
}

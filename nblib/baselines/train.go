package baselines

import (
	"context"
	"fmt"
	"io"
	"reflect"
	"time"

	"github.com/gomlx/compute"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// Train encodes the training traces with cfg and trains for cfg.Steps steps, resuming from the newest
// checkpoint in dir when there is one (its configuration and normalisation must match, that is, the
// same data and settings). A batch larger than the training set is lowered to its size. Checkpoints go to dir every quarter of the run (dir "" disables them);
// progress lines go to log (nil: none). It returns the trainer and the encoded data.
func Train(ctx context.Context, b compute.Backend, cfg Config, train *traffic.Dataset, dir string, log io.Writer) (*Trainer, *Encoded, error) {
	if log == nil {
		log = io.Discard
	}
	if n := len(train.Traces); cfg.BatchSize > n && n > 0 {
		fmt.Fprintf(log, "%s: batch %d lowered to the %d training series\n", cfg.Name, cfg.BatchSize, n)
		cfg.BatchSize = n
	}
	cfg, data, err := Encode(cfg, train)
	if err != nil {
		return nil, nil, err
	}
	var tr *Trainer
	if ckpts, _ := Checkpoints(dir); dir != "" && len(ckpts) > 0 {
		if tr, err = Resume(b, dir); err != nil {
			return nil, nil, err
		}
		if err := sameRun(tr, cfg, data); err != nil {
			return nil, nil, fmt.Errorf("baselines: checkpoint in %s: %w (delete the folder to start afresh)", dir, err)
		}
		fmt.Fprintf(log, "resumed %s at step %d\n", dir, tr.Steps())
	} else if tr, err = New(b, cfg, data.Meta); err != nil {
		return nil, nil, err
	}
	report := max(int(cfg.Steps/10), 1)
	_, err = tr.Run(ctx, data, RunConfig{MaxSteps: cfg.Steps, ReportEvery: report, CheckpointDir: dir,
		CheckpointEvery: max(int(cfg.Steps/4), 1), Keep: 1,
		Progress: func(p Progress) {
			fmt.Fprintf(log, "%s step %5d/%d  loss D %.4f  G %.4f  penalty %.4f  %.1f steps/s  %s\n", cfg.Name, p.Step, cfg.Steps,
				p.MeanLossD, p.MeanLossG, p.Last.Penalty, p.StepsPerS, p.Elapsed.Round(time.Second))
		}})
	if err != nil {
		return nil, nil, err
	}
	if tr.Steps() < cfg.Steps {
		return nil, nil, fmt.Errorf("baselines: training stopped at step %d of %d: %v", tr.Steps(), cfg.Steps, ctx.Err())
	}
	return tr, data, nil
}

// sameRun checks that a resumed trainer continues the run cfg describes on data (only Steps may differ,
// and it may not be below the steps done).
func sameRun(tr *Trainer, cfg Config, data *Encoded) error {
	a, b := tr.Config, cfg
	a.Steps, b.Steps = 0, 0
	if !reflect.DeepEqual(a, b) {
		return fmt.Errorf("its configuration %+v differs from %+v", tr.Config, cfg)
	}
	if tr.Steps() > cfg.Steps {
		return fmt.Errorf("it has trained %d steps, more than the %d asked for", tr.Steps(), cfg.Steps)
	}
	if !reflect.DeepEqual(tr.Meta, data.Meta) {
		return fmt.Errorf("it was trained on other data (its classes or normalisation differ)")
	}
	return nil
}

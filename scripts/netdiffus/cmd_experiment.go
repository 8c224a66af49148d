package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/netdiffus/netdiffus/internal/valid"

	"github.com/netdiffus/netdiffus/internal/atomicfile"
	"github.com/netdiffus/netdiffus/nblib/pipeline"
)

func init() {
	register(command{name: "experiment", summary: "the whole pipeline on a default dataset: split, image, train, sample, measure", run: runExperiment})
}

func runExperiment(args []string) error {
	f := newRunFlags("experiment", "experiment -dataset d1 -group netflix [-preset smoke|cpu|full] [-set Path=value] [-out result.json]")
	dataset := f.fs.String("dataset", "d1", "default dataset: d1, d2, d3 or ww")
	group := f.fs.String("group", "", "keep one group only, e.g. netflix (d1) or google (d3)")
	out := f.fs.String("out", "", "also write the result as JSON to this file")
	budget := f.fs.Duration("time", 0, "stop training after this much wall time and sample the model as it is (resume later)")
	if err := f.parse(args); err != nil {
		return err
	}
	if err := valid.Duration("-time", *budget, 10000*time.Hour); err != nil {
		return err
	}
	if *out != "" {
		if err := f.outputs().File(*out); err != nil {
			return err
		}
	}
	p, err := f.resolve(nil)
	if err != nil {
		return err
	}
	data, err := pipeline.LoadDefault(p, *dataset, *group)
	if err != nil {
		return err
	}
	b, err := sharedBackend()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var log io.Writer = os.Stderr
	if f.quiet {
		log = nil
	}
	res, err := pipeline.Run(ctx, b, p, data, f.model, pipeline.TrainOptions{Log: log, TimeBudget: *budget})
	if err != nil {
		return err
	}
	if res.TrainedSteps < res.Steps {
		fmt.Printf("training stopped by -time at step %d of %d\n", res.TrainedSteps, res.Steps)
	}
	fmt.Printf("%s (preset %s): FID %.4f (floor, real test vs real training: %.4f; matched %.4f), KID (unbiased; may be negative) %.5f (floor %.5f), per-class FID %.4f ± %.4f (floor %.4f), pixel JSD %.4f bits; trained %.0f s, sampled %.0f s\n",
		res.Name, res.Preset, res.FID, res.RealFID, res.FIDMatched, res.KID, res.KIDFloor, res.ClassFIDMean, res.ClassFIDStd, res.ClassFIDFloorMean, res.Hist.JSD, res.TrainSeconds, res.SampleSeconds)
	fmt.Print(res.RealTraceReport())
	printTable(res.AccuracyTable())
	fmt.Print(res.EvidenceSummary())
	if *out == "" {
		return nil
	}
	js, err := json.MarshalIndent(res, "", " ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(*out, js)
}

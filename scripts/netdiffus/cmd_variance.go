package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/netdiffus/netdiffus/nblib/plots"
	"github.com/netdiffus/netdiffus/nblib/preset"
	"github.com/netdiffus/netdiffus/nblib/repro"
)

func init() {
	register(command{name: "variance", summary: "train one model per seed and dataset: how much one training run moves FID, accuracy and the audit", run: runVariance})
}

func runVariance(args []string) error {
	f := newRunFlags("variance", "variance [-preset smoke|cpu|full] [-datasets d1-netflix,d3-google] [-seeds 1,2,3] [-splits] [-classifier NAME] [-set Path=value]")
	protocol := repro.VarianceFor(preset.Preset{}) // the evidence protocol's datasets and seeds: netdiffus repro variance -plan lists their models
	names := f.fs.String("datasets", strings.Join(protocol.Datasets, ","), "comma-separated datasets (d1-netflix, d3-google, alexa, ...)")
	seeds := f.fs.String("seeds", formatSeeds(protocol.Seeds), "comma-separated training seeds (Train.Seed), at least 2")
	classifier := f.fs.String("classifier", "", "classifier whose synthetic-only accuracy is compared (default: the preset's first)")
	recompute := f.fs.Bool("recompute", false, "recompute the cached experiments (trained models are reused)")
	splits := f.fs.Bool("splits", false, "each seed also draws its own random split of the real traces per class (a repeated hold-out), not the paper's first 80%")
	if err := f.parse(args); err != nil {
		return err
	}
	if extra := f.fs.Args(); len(extra) > 0 {
		return fmt.Errorf("unexpected arguments %q", extra)
	}
	p, err := f.resolve(nil)
	if err != nil {
		return err
	}
	c := repro.VarianceFor(p)
	c.Datasets, c.Classifier, c.Splits = strings.Split(*names, ","), *classifier, *splits
	if c.Seeds, err = parseSeeds(*seeds); err != nil {
		return err
	}
	var log io.Writer = os.Stderr
	if f.quiet {
		log = io.Discard
	}
	r, err := repro.ModelVariance(c, *recompute, log)
	if err != nil {
		return err
	}
	what := "models"
	if c.Splits {
		what = "models, each on its own random split"
	}
	fmt.Printf("model variance, preset %s: %d %s per dataset; within-model intervals are 95%% bootstrap, between-model intervals 95%% t over the models\n\n", p.Name, len(c.Seeds), what)
	fmt.Print(plots.Markdown(r.Table()))
	return nil
}

// formatSeeds writes seeds as parseSeeds reads them.
func formatSeeds(seeds []uint64) string {
	out := make([]string, len(seeds))
	for i, s := range seeds {
		out[i] = strconv.FormatUint(s, 10)
	}
	return strings.Join(out, ",")
}

// parseSeeds reads "1,2,3".
func parseSeeds(s string) ([]uint64, error) {
	var out []uint64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseUint(strings.TrimSpace(f), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("-seeds %q: %q is not a seed (a non-negative integer)", s, f)
		}
		out = append(out, v)
	}
	return out, nil
}

package protocols

import (
	"testing"
	"time"

	"github.com/gomlx/compute"
	"github.com/netdiffus/netdiffus/nblib/eval/features"
	"github.com/netdiffus/netdiffus/nblib/internal/testbackend"
)

const repoRoot = "../../.."

// BenchmarkCPUProtocols runs every protocol once with CPUConfig on a CPU-sized problem: 4
// classes x 60 real training traces of 128 steps as 32x32 GASF images (240 images), 60 synthetic
// images per class (another seed of the same generator), 30 test traces per class. It reports the
// seconds each protocol took over all the preset's classifiers (Scenarios, LimitedData,
// SyntheticSteps, NearRealTime) or its CNN (SeriesVsImages, EnsembleUncertainty) and Naive Bayes
// (DiffusionDims, whose cost is the FID and the classifier). Networks run on ONNX Runtime when the
// project has it, else on the Go backend (the sub-benchmark name says which). Use -benchtime=1x.
func BenchmarkCPUProtocols(b *testing.B) {
	name, backend := "go", testbackend.Go(b)
	if testbackend.ORTLibrary(repoRoot) != "" {
		name, backend = "onnx", testbackend.ORT(b, repoRoot)
	}
	b.Run(name, func(b *testing.B) {
		for range b.N {
			runCPUProtocols(b, backend)
		}
	})
}

func runCPUProtocols(b *testing.B, backend compute.Backend) {
	cfg := CPUConfig()
	const classes, length = 4, 128
	realTr, realTe := traces(21, classes, cfg.TracesPerClass, length, 0.15), traces(22, classes, 30, length, 0.15)
	synthTr := traces(23, classes, cfg.TracesPerClass, length, 0.15)
	gasfOf := func(tr Traces) LabelledImages {
		im, err := GASFImages(tr.Series, cfg.ImageSize)
		if err != nil {
			b.Fatal(err)
		}
		return LabelledImages{Images: im, Y: tr.Y}
	}
	train, test, synth := gasfOf(realTr), gasfOf(realTe), gasfOf(synthTr)
	facs, err := cfg.Factories(backend, ImageShape(cfg.ImageSize))
	if err != nil {
		b.Fatal(err)
	}
	timed := func(metric string, f func() error) {
		start := time.Now()
		if err := f(); err != nil {
			b.Fatalf("%s: %v", metric, err)
		}
		b.ReportMetric(time.Since(start).Seconds(), metric+"-s")
	}
	overClassifiers := func(run func(NamedFactory) error) func() error {
		return func() error {
			for _, f := range facs {
				if err := run(f); err != nil {
					return err
				}
			}
			return nil
		}
	}
	for _, f := range facs { // the scenarios per classifier, to see where the time goes
		timed("scenarios-"+f.Name, func() error {
			res, err := Scenarios(f.New, train.Dataset(), synth.Dataset(), test.Dataset(), cfg.Seeds)
			b.ReportMetric(res[Original].AccMean, "acc-"+f.Name)
			return err
		})
	}
	timed("limited", overClassifiers(func(f NamedFactory) error {
		_, err := LimitedData(f.New, train.Dataset(), synth.Dataset(), test.Dataset(), cfg.Fractions, cfg.Seeds)
		return err
	}))
	timed("steps", overClassifiers(func(f NamedFactory) error {
		_, err := SyntheticSteps(f.New, train.Dataset(), synth.Dataset(), test.Dataset(), cfg.SynthPerClass, cfg.Seeds)
		return err
	}))
	timed("crops", overClassifiers(func(f NamedFactory) error {
		// Each crop size needs networks of that input shape: build them per size.
		for _, s := range cfg.CropSizes(cfg.ImageSize) {
			fac, err := cfg.Factory(f.Name, backend, ImageShape(s))
			if err != nil {
				return err
			}
			if _, err := NearRealTime(fac, train.Images, train.Y, test.Images, test.Y, []int{s}, cfg.Seeds); err != nil {
				return err
			}
		}
		return nil
	}))
	timed("table3", func() error {
		_, err := SeriesVsImages(cfg, backend, realTr, realTe, cfg.ImageSize)
		return err
	})
	timed("ensemble", func() error {
		cnn, err := cfg.Factory(cfg.CNN, backend, ImageShape(cfg.ImageSize))
		if err != nil {
			return err
		}
		legit := train.Dataset().Subset(rowsWithLabelBelow(train.Y, classes-1))
		legitTest := test.Dataset().Subset(rowsWithLabelBelow(test.Y, classes-1))
		anomaly := test.Dataset().Subset(rowsWithLabelFrom(test.Y, classes-1))
		_, err = EnsembleUncertainty(cnn, legit, legitTest.X, anomaly.X, cfg.EnsembleSeeds)
		return err
	})
	timed("table2", func() error {
		pca, err := features.FitPCA(train.Images, 32)
		if err != nil {
			return err
		}
		_, err = DiffusionDims(nb, pca, train, test, synthTr, synth, 0, cfg.Seeds)
		return err
	})
}

func rowsWithLabelBelow(y []int, k int) []int {
	var rows []int
	for i, l := range y {
		if l < k {
			rows = append(rows, i)
		}
	}
	return rows
}

func rowsWithLabelFrom(y []int, k int) []int {
	var rows []int
	for i, l := range y {
		if l >= k {
			rows = append(rows, i)
		}
	}
	return rows
}

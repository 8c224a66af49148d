package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/netdiffus/netdiffus/internal/outputs"
	"github.com/netdiffus/netdiffus/internal/valid"
	"github.com/netdiffus/netdiffus/nblib/traffic"

	"github.com/schollz/progressbar/v3"

	"github.com/netdiffus/netdiffus/internal/atomicfile"
	"github.com/netdiffus/netdiffus/nblib/gasf"
	"github.com/netdiffus/netdiffus/nblib/pipeline"
	"github.com/netdiffus/netdiffus/nblib/traffic/trafficio"
)

func init() {
	register(command{name: "image", summary: "turn series (CSV/NPY) into GASF/GADF images (PNG/NPY)", run: runImage})
}

// imageFlags are the options of `netdiffus image`.
type imageFlags struct {
	in, out, layout, save, norm, kind, method string
	header, quiet, force                      bool
	size, crop, workers, column               int
	gamma, amp                                float64
}

func runImage(args []string) error {
	fs := flag.NewFlagSet("image", flag.ContinueOnError)
	var f imageFlags
	fs.StringVar(&f.in, "in", "", "input series file: .csv, .npy, or .npz of netdiffus data (labelled: writes <out>/<name>.npz for netdiffus train) (required)")
	fs.StringVar(&f.out, "out", "images", "output directory")
	fs.StringVar(&f.layout, "layout", "auto", "CSV layout: rows (one series per row), column (one series down a column) or auto (column if every line has one field)")
	fs.IntVar(&f.column, "column", 0, "column index for -layout column (0..1048575)")
	fs.BoolVar(&f.header, "header", false, "CSV: skip the first line")
	fs.StringVar(&f.save, "save", "png", "what to write: png (one file per series), npy (one (N,S,S) uint8 array) or both")
	fs.IntVar(&f.size, "size", 64, "image side S (1..series length)")
	fs.Float64Var(&f.gamma, "gamma", 0.25, "gamma correction exponent")
	fs.Float64Var(&f.amp, "amp", 1, "gamma correction amplitude A, 0 < A <= 1")
	fs.StringVar(&f.norm, "norm", "minmax", "normalisation: minmax, max or global (one range over all series)")
	fs.StringVar(&f.kind, "kind", "gasf", "field: gasf or gadf")
	fs.StringVar(&f.method, "method", "fused", "fused (fast, low memory) or exact (every stage, O(L²) memory); same pixels")
	fs.IntVar(&f.crop, "crop", 0, "if > 0, encode only the first crop samples of each series (near-real-time; shorter series are used whole); 0..2^31")
	fs.IntVar(&f.workers, "workers", 0, "series encoded at once (0: all CPUs; at most 4096)")
	fs.BoolVar(&f.quiet, "quiet", false, "no progress bar")
	fs.BoolVar(&f.quiet, "q", false, "same as -quiet")
	fs.BoolVar(&f.force, "force", false, "replace existing output files (never the input)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: netdiffus image -in series.csv|series.npy [flags]\n\nWrites <out>/<name>_<i>.png and/or <out>/<name>.npy, and <out>/<name>_meta.json\n(parameters and per-image normalisation, what gasf.Decode needs).\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := valid.NoArgs(fs); err != nil {
		return err
	}
	if f.in == "" {
		fs.Usage()
		return errors.New("missing -in")
	}
	p, err := f.params()
	if err != nil {
		return err
	}
	var labels []int
	var classes []string
	var series [][]float64
	if strings.EqualFold(filepath.Ext(f.in), ".npz") {
		series, labels, classes, err = readLabelledSeries(f.in, f.quiet)
	} else {
		series, err = trafficio.ReadSeries(f.in, trafficio.SeriesOptions{Layout: trafficio.SeriesLayout(f.layout), Column: f.column, Header: f.header})
	}
	if err != nil {
		return err
	}
	if f.crop > 0 {
		for i, x := range series {
			if series[i], err = gasf.Crop(x, min(f.crop, len(x))); err != nil {
				return fmt.Errorf("%s: series %d: %w", f.in, i, err)
			}
		}
	}
	if p.Norm.Mode == gasf.Global {
		if p.Norm, err = gasf.GlobalRange(series...); err != nil {
			return fmt.Errorf("%s: %w", f.in, err)
		}
	}
	if labels != nil {
		return writeExamples(f, p, series, labels, classes)
	}
	return writeImages(f, p, series)
}

// claimOutputs checks every path the command will write before it writes one (package outputs' rules).
func (f imageFlags) claimOutputs(n int, labelled bool) error {
	g := outputs.New(f.force, f.in)
	name := f.outName()
	if labelled {
		return g.File(filepath.Join(f.out, name+".npz"))
	}
	if f.save != "npy" {
		for i := range n {
			if err := g.File(filepath.Join(f.out, fmt.Sprintf("%s_%d.png", name, i))); err != nil {
				return err
			}
		}
	}
	if f.save != "png" {
		if err := g.File(filepath.Join(f.out, name+".npy")); err != nil {
			return err
		}
	}
	return g.File(filepath.Join(f.out, name+"_meta.json"))
}

// outName is the base name of the outputs: the input's, without its extension.
func (f imageFlags) outName() string {
	return strings.TrimSuffix(filepath.Base(f.in), filepath.Ext(f.in))
}

// readLabelledSeries reads the series, labels and class names of an NPZ of netdiffus data (x, y, classes);
// rows the reader drops are reported on stderr unless quiet, and no row left is an error.
func readLabelledSeries(path string, quiet bool) ([][]float64, []int, []string, error) {
	classes, err := trafficio.ReadNPZClasses(path)
	if err != nil {
		return nil, nil, nil, err
	}
	ds, rep, err := trafficio.ReadNPZ(path, trafficio.ArrayOptions{Classes: classes})
	if err != nil {
		return nil, nil, nil, err
	}
	if len(ds.Traces) == 0 {
		return nil, nil, nil, fmt.Errorf("%s: no series left to image: the reader dropped all %d rows (%s)", path, len(rep.Skipped), firstProblem(rep))
	}
	if !quiet && len(rep.Skipped) > 0 {
		rep.Print(os.Stderr, 5)
	}
	series, err := ds.Series(ds.Default)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return series, ds.Labels(), ds.Classes, nil
}

// writeExamples images labelled series into <out>/<name>.npz: uint8 "images", "labels" and "classes",
// what netdiffus train and eval read.
func writeExamples(f imageFlags, p gasf.Params, series [][]float64, labels []int, classes []string) error {
	if err := f.claimOutputs(len(series), true); err != nil {
		return err
	}
	if err := valid.Alloc(fmt.Sprintf("%d images of %dx%d", len(series), p.Size, p.Size), int64(len(series)), 4*int64(p.Size)*int64(p.Size)); err != nil {
		return err
	}
	x, err := pipeline.ImageArrayParams(series, p)
	if err != nil {
		return fmt.Errorf("%s: %w", f.in, err)
	}
	path := filepath.Join(f.out, f.outName()+".npz")
	if err := pipeline.WriteExamples(path, pipeline.Examples{X: x, Labels: labels, Classes: classes}); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %d %d×%d images of %d classes from %s to %s\n", len(series), p.Size, p.Size, len(classes), f.in, path)
	return nil
}

// params turns the flags into imaging parameters.
func (f imageFlags) params() (gasf.Params, error) {
	p := gasf.DefaultParams(f.size)
	p.Gamma, p.Amplitude = f.gamma, f.amp
	var err error
	if p.Norm.Mode, err = gasf.ParseMode(f.norm); err != nil {
		return p, err
	}
	if p.Kind, err = gasf.ParseKind(f.kind); err != nil {
		return p, err
	}
	switch f.method {
	case "fused":
		p.Method = gasf.Fused
	case "exact":
		p.Method = gasf.Exact
	default:
		return p, fmt.Errorf("-method %q: want fused or exact", f.method)
	}
	if err := valid.First(
		valid.Enum("-save", f.save, "png", "npy", "both"),
		valid.Enum("-layout", f.layout, "auto", "rows", "column"),
		valid.Int("-column", int64(f.column), 0, 1<<20-1),
		valid.Int("-crop", int64(f.crop), 0, math.MaxInt32),
		valid.Int("-workers", int64(f.workers), 0, 1<<12),
		valid.Float("-gamma", f.gamma, 1e-6, 1e6),
		valid.Float("-amp", f.amp, 1e-9, 1),
	); err != nil {
		return p, err
	}
	if err := p.Validate(); err != nil {
		return p, fmt.Errorf("-size %d -gamma %g -amp %g: %w", f.size, f.gamma, f.amp, err)
	}
	return p, nil
}

// imageMeta is the JSON sidecar written next to the images.
type imageMeta struct {
	Source string          `json:"source"`
	Size   int             `json:"size"`
	Gamma  float64         `json:"gamma"`
	Amp    float64         `json:"amplitude"`
	Kind   string          `json:"kind"`
	Norms  []normalisation `json:"normalisations"` // one per series, in order
}

// normalisation is gasf.Normalisation with a readable mode.
type normalisation struct {
	Mode   string  `json:"mode"`
	Lo     float64 `json:"lo"`
	Hi     float64 `json:"hi"`
	Length int     `json:"length"`
}

// writeImages encodes all series and writes PNG/NPY files and the sidecar.
func writeImages(f imageFlags, p gasf.Params, series [][]float64) error {
	if err := f.claimOutputs(len(series), false); err != nil {
		return err
	}
	if err := valid.Alloc(fmt.Sprintf("%d images of %dx%d", len(series), p.Size, p.Size), int64(len(series)), int64(p.Size)*int64(p.Size)); err != nil {
		return err
	}
	if err := os.MkdirAll(f.out, 0o755); err != nil {
		return err
	}
	name := f.outName()
	s := p.Size
	all := make([]uint8, len(series)*s*s)
	meta := imageMeta{Source: f.in, Size: s, Gamma: p.Gamma, Amp: p.Amplitude, Kind: p.Kind.String(), Norms: make([]normalisation, len(series))}
	var bar *progressbar.ProgressBar
	if !f.quiet {
		bar = progressbar.Default(int64(len(series)), "imaging")
	}
	err := gasf.EncodeBatch(len(series), func(i int) ([]float64, error) { return series[i], nil }, p,
		gasf.BatchOptions{Workers: f.workers, Progress: func(int, int) {
			if bar != nil {
				_ = bar.Add(1)
			}
		}},
		func(i int, img *gasf.Image) error {
			copy(all[i*s*s:], img.Pix)
			meta.Norms[i] = normalisation{Mode: img.Norm.Mode.String(), Lo: img.Norm.Lo, Hi: img.Norm.Hi, Length: img.Length}
			if f.save == "npy" {
				return nil
			}
			return writeFile(filepath.Join(f.out, fmt.Sprintf("%s_%d.png", name, i)), img.WritePNG)
		})
	if err != nil {
		return fmt.Errorf("%s: %w", f.in, err)
	}
	if f.save != "png" {
		npy := func(w io.Writer) error { return gasf.WriteNPYUint8(w, all, len(series), s, s) }
		if err := writeFile(filepath.Join(f.out, name+".npy"), npy); err != nil {
			return err
		}
	}
	js, _ := json.MarshalIndent(meta, "", " ")
	if err := atomicfile.WriteFile(filepath.Join(f.out, name+"_meta.json"), js); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %d %d×%d images from %s to %s\n", len(series), s, s, f.in, f.out)
	return nil
}

// writeFile fills path atomically with write.
func writeFile(path string, write func(io.Writer) error) error { return atomicfile.Write(path, write) }

// firstProblem describes the first dropped row of rep, for errors.
func firstProblem(rep traffic.Report) string {
	if len(rep.Skipped) == 0 {
		return "none reported"
	}
	s := rep.Skipped[0]
	return fmt.Sprintf("the first: %s: %s", s.Item, s.Reason)
}

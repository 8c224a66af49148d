package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/netdiffus/netdiffus/internal/infile"

	"github.com/schollz/progressbar/v3"

	"github.com/netdiffus/netdiffus/internal/atomicfile"
	"github.com/netdiffus/netdiffus/internal/npy"
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
	header, quiet                             bool
	size, crop, workers, column               int
	gamma, amp                                float64
}

func runImage(args []string) error {
	fs := flag.NewFlagSet("image", flag.ContinueOnError)
	var f imageFlags
	fs.StringVar(&f.in, "in", "", "input series file: .csv, .npy, or .npz of netdiffus data (labelled: writes <out>/<name>.npz for netdiffus train) (required)")
	fs.StringVar(&f.out, "out", "images", "output directory")
	fs.StringVar(&f.layout, "layout", "auto", "CSV layout: rows (one series per row), column (one series down a column) or auto (column if every line has one field)")
	fs.IntVar(&f.column, "column", 0, "column index for -layout column")
	fs.BoolVar(&f.header, "header", false, "CSV: skip the first line")
	fs.StringVar(&f.save, "save", "png", "what to write: png (one file per series), npy (one (N,S,S) uint8 array) or both")
	fs.IntVar(&f.size, "size", 64, "image side S (1..series length)")
	fs.Float64Var(&f.gamma, "gamma", 0.25, "gamma correction exponent")
	fs.Float64Var(&f.amp, "amp", 1, "gamma correction amplitude A, 0 < A <= 1")
	fs.StringVar(&f.norm, "norm", "minmax", "normalisation: minmax, max or global (one range over all series)")
	fs.StringVar(&f.kind, "kind", "gasf", "field: gasf or gadf")
	fs.StringVar(&f.method, "method", "fused", "fused (fast, low memory) or exact (every stage, O(L²) memory); same pixels")
	fs.IntVar(&f.crop, "crop", 0, "if > 0, encode only the first crop samples of each series (near-real-time; shorter series are used whole)")
	fs.IntVar(&f.workers, "workers", 0, "series encoded at once (0: all CPUs)")
	fs.BoolVar(&f.quiet, "quiet", false, "no progress bar")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: netdiffus image -in series.csv|series.npy [flags]\n\nWrites <out>/<name>_<i>.png and/or <out>/<name>.npy, and <out>/<name>_meta.json\n(parameters and per-image normalisation, what gasf.Decode needs).\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
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
		series, labels, classes, err = readLabelledSeries(f.in)
	} else {
		series, err = readSeries(f.in, f.layout, f.column, f.header)
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

// readLabelledSeries reads the series, labels and class names of an NPZ of netdiffus data (x, y, classes).
func readLabelledSeries(path string) ([][]float64, []int, []string, error) {
	classes, err := trafficio.ReadNPZClasses(path)
	if err != nil {
		return nil, nil, nil, err
	}
	ds, _, err := trafficio.ReadNPZ(path, trafficio.ArrayOptions{Classes: classes})
	if err != nil {
		return nil, nil, nil, err
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
	x, err := pipeline.ImageArrayParams(series, p)
	if err != nil {
		return fmt.Errorf("%s: %w", f.in, err)
	}
	name := strings.TrimSuffix(filepath.Base(f.in), filepath.Ext(f.in))
	path := filepath.Join(f.out, name+".npz")
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
	if f.save != "png" && f.save != "npy" && f.save != "both" {
		return p, fmt.Errorf("-save %q: want png, npy or both", f.save)
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
	if err := os.MkdirAll(f.out, 0o755); err != nil {
		return err
	}
	name := strings.TrimSuffix(filepath.Base(f.in), filepath.Ext(f.in))
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

// readSeries loads series from a .csv or .npy file.
func readSeries(path, layout string, column int, header bool) ([][]float64, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".npy":
		return readNPYSeries(path)
	case ".csv", ".txt":
		return readCSVSeries(path, layout, column, header)
	}
	return nil, fmt.Errorf("%s: unknown extension; want .csv or .npy", path)
}

// readCSVSeries reads one series per row, or one series down a column.
func readCSVSeries(path, layout string, column int, header bool) ([][]float64, error) {
	fh, err := infile.Open(path, infile.MaxCSV)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	r := csv.NewReader(bufio.NewReader(fh))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	r.Comment = '#'
	recs, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	first := 1
	if header && len(recs) > 0 {
		recs, first = recs[1:], 2
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: no data lines", path)
	}
	if layout == "auto" {
		layout = "column"
		for _, rec := range recs {
			if len(rec) != 1 {
				layout = "rows"
				break
			}
		}
	}
	parse := func(line, col int, s string) (float64, error) {
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return 0, fmt.Errorf("%s: line %d, column %d: %q is not a number (use -header to skip a header line)", path, line, col+1, s)
		}
		return v, nil
	}
	switch layout {
	case "rows":
		out := make([][]float64, len(recs))
		for i, rec := range recs {
			if len(rec) == 1 && rec[0] == "" {
				return nil, fmt.Errorf("%s: line %d is empty", path, first+i)
			}
			out[i] = make([]float64, len(rec))
			for j, s := range rec {
				if out[i][j], err = parse(first+i, j, s); err != nil {
					return nil, err
				}
			}
		}
		return out, nil
	case "column":
		x := make([]float64, len(recs))
		for i, rec := range recs {
			if column >= len(rec) {
				return nil, fmt.Errorf("%s: line %d has %d fields, no column %d", path, first+i, len(rec), column)
			}
			if x[i], err = parse(first+i, column, rec[column]); err != nil {
				return nil, err
			}
		}
		return [][]float64{x}, nil
	}
	return nil, fmt.Errorf("-layout %q: want rows, column or auto", layout)
}

// readNPYSeries reads a float64 or float32 array of shape (N, L), N series of L values, or (L,),
// one series. The header is checked against the file size and npy's default limits before the data
// is read; any other rank, an empty series or no series at all is an error.
func readNPYSeries(path string) ([][]float64, error) {
	a, err := npy.ReadFile(path, npy.Limits{})
	if err != nil {
		return nil, err
	}
	if a.Kind != 'f' {
		return nil, fmt.Errorf("%s: dtype %s; want float64 or float32 (convert with numpy's astype)", path, a.Descr)
	}
	shape := a.Shape
	if len(shape) == 1 {
		shape = []int{1, shape[0]}
	}
	if len(shape) != 2 {
		return nil, fmt.Errorf("%s: shape %v; want (N, L) series or (L,) for one series", path, a.Shape)
	}
	if shape[0] == 0 || shape[1] == 0 {
		return nil, fmt.Errorf("%s: shape %v holds no values; want at least one series of at least one value", path, a.Shape)
	}
	flat := a.Float64s()
	out := make([][]float64, shape[0])
	for i := range out {
		out[i] = flat[i*shape[1] : (i+1)*shape[1] : (i+1)*shape[1]]
	}
	return out, nil
}

package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/netdiffus/netdiffus/internal/outputs"
	"github.com/netdiffus/netdiffus/internal/valid"

	"github.com/schollz/progressbar/v3"

	"github.com/netdiffus/netdiffus/datasets"
	"github.com/netdiffus/netdiffus/nblib/traffic"
	"github.com/netdiffus/netdiffus/nblib/traffic/trafficio"
)

func init() {
	register(command{name: "data", summary: "generate default datasets, convert trace formats, print dataset stats", run: runData})
}

const dataUsage = `usage: netdiffus data <generate|convert|stats|list> [flags]

  list      show the default datasets (cards)
  generate  write a default synthetic dataset (d1, d2, d3, ww) to a file
  convert   read a dataset in one format and write it in another
  stats     print classes, traces per class, lengths and the loader's report

Input formats (-from): folder (per-trace CSVs + labels.csv), longcsv, pcap
(folder of captures + labels.csv, needs -rule), npz, npy (-in x.npy,y.npy),
dg (DoppelGANger data_*.npz), netshare-packets, netshare-flows, wiki-long,
wiki-wide, df (-in X.pkl,y.pkl), throughput (folder of bandwidth logs),
default (-in d1|d2|d3|ww, with -variant and -seed).
Output formats (-to): longcsv, folder (packet traces), npz (any: the feature
series x, labels y, class names).
Run 'netdiffus data <subcommand> -h' for its flags.`

func runData(args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(os.Stderr, dataUsage)
		return nil
	}
	switch args[0] {
	case "list":
		return dataList(os.Stdout)
	case "generate":
		return dataGenerate(args[1:])
	case "convert":
		return dataConvert(args[1:])
	case "stats":
		return dataStats(args[1:])
	}
	return fmt.Errorf("unknown data subcommand %q\n\n%s", args[0], dataUsage)
}

// inputFlags are the flags every reading subcommand shares.
type inputFlags struct {
	from, in, labels, rule, classes string
	variant                         string
	seed                            uint64
	strict, keepOrder, quiet        bool
	labelCol                        string
	dgFrom, dgTo                    int
	feature                         featureFlags
}

type featureFlags struct {
	kind, dir string
	length    int
	bin       float64
}

func (f *inputFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.from, "from", "", "input format (see 'netdiffus data -h')")
	fs.StringVar(&f.in, "in", "", "input path (file or folder; two comma-separated files for npy and df)")
	fs.StringVar(&f.labels, "labels", "", "labels file (file,label[,group]) for folder and pcap; default <in>/labels.csv")
	fs.StringVar(&f.rule, "rule", "", "pcap direction rule, e.g. ip=192.168.1.20 or net=192.168.0.0/16,otherwise=skip")
	fs.StringVar(&f.classes, "classes", "", "comma-separated class names for npz, npy, dg and df labels 0..C-1")
	fs.StringVar(&f.variant, "variant", "small", "default datasets: small, medium or full (quick: the former name of small)")
	fs.Uint64Var(&f.seed, "seed", datasets.DefaultSeed, "default datasets: generator seed")
	fs.BoolVar(&f.strict, "strict", false, "stop at the first malformed row instead of reporting it")
	fs.BoolVar(&f.keepOrder, "keep-order", false, "keep packets whose timestamps go backwards in file order instead of sorting")
	fs.BoolVar(&f.quiet, "quiet", false, "no progress bar")
	fs.BoolVar(&f.quiet, "q", false, "same as -quiet")
	fs.StringVar(&f.labelCol, "label-column", "type", "netshare: column holding the class")
	fs.IntVar(&f.dgFrom, "dg-label-from", 0, "dg: first one-hot attribute column of the class")
	fs.IntVar(&f.dgTo, "dg-label-to", 0, "dg: one past the last attribute column of the class (0: all)")
	f.feature.register(fs, "feature: bytes, direction, gap, size, signed, values (default: the dataset's)")
}

// register adds -feature (described by kindHelp), -length, -bin and -dir.
func (f *featureFlags) register(fs *flag.FlagSet, kindHelp string) {
	fs.StringVar(&f.kind, "feature", "", kindHelp)
	fs.IntVar(&f.length, "length", 0, "feature length (bins, packets or values; 0: the dataset's), at most 2^29 values over all traces")
	fs.Float64Var(&f.bin, "bin", traffic.DefaultBin, "bytes feature: bin width in seconds, in (0, 1e6]")
	fs.StringVar(&f.dir, "dir", "down", "bytes feature: up, down or both")
}

// check refuses out-of-range values before any work.
func (f featureFlags) check() error {
	if err := valid.First(
		valid.Int("-length", int64(f.length), 0, traffic.MaxSeriesValues),
		valid.Positive("-bin", f.bin, 1e6),
		valid.Enum("-dir", f.dir, "up", "down", "both"),
	); err != nil {
		return err
	}
	if f.kind != "" {
		_, err := traffic.ParseKind(f.kind)
		return err
	}
	return nil
}

// inputFormats are the values of -from.
var inputFormats = []string{"folder", "longcsv", "pcap", "npz", "npy", "dg", "netshare-packets", "netshare-flows",
	"wiki-long", "wiki-wide", "df", "throughput", "default"}

// check refuses out-of-range values before any work.
func (f *inputFlags) check() error {
	return valid.First(
		valid.Enum("-from", f.from, inputFormats...),
		valid.Enum("-variant", f.variant, "small", "medium", "full", datasets.LegacySmall),
		valid.Int("-dg-label-from", int64(f.dgFrom), 0, 1<<20),
		valid.Int("-dg-label-to", int64(f.dgTo), 0, 1<<20),
		f.feature.check(),
	)
}

// paths are the files and folders the input flags read, for the output rules.
func (f *inputFlags) paths() []string {
	if f.from == "default" {
		return nil
	}
	return append(splitList(f.in), f.labels)
}

// claimOutput checks out (a file, or a folder for -to folder) against the output rules.
func claimOutput(to, out string, force bool, inputs ...string) error {
	g := outputs.New(force, inputs...)
	if to == "folder" {
		return g.Folder(out)
	}
	return g.File(out)
}

// resolve returns the dataset's default feature with the flags' overrides.
func (f featureFlags) resolve(def traffic.Feature) (traffic.Feature, error) {
	out := def
	if f.kind != "" {
		k, err := traffic.ParseKind(f.kind)
		if err != nil {
			return out, err
		}
		out = traffic.Feature{Kind: k, Length: def.Length, Bin: f.bin}
		switch f.dir {
		case "up":
			out.Dir = traffic.Up
		case "down":
			out.Dir = traffic.Down
		case "both":
		default:
			return out, fmt.Errorf("-dir %q: use up, down or both", f.dir)
		}
	}
	if f.length > 0 {
		out.Length = f.length
	}
	if out.Length <= 0 {
		return out, errors.New("the feature needs a length: set -length")
	}
	return out, nil
}

// progress returns a callback drawing a progress bar on stderr.
func (f *inputFlags) progress(desc string) (trafficio.Progress, func()) {
	if f.quiet {
		return nil, func() {}
	}
	var bar *progressbar.ProgressBar
	cb := func(done, total int64) {
		if bar == nil {
			bar = progressbar.NewOptions64(total, progressbar.OptionSetDescription(desc), progressbar.OptionSetWriter(os.Stderr),
				progressbar.OptionClearOnFinish(), progressbar.OptionThrottle(100_000_000))
		}
		bar.Set64(done)
	}
	return cb, func() {
		if bar != nil {
			bar.Finish()
		}
	}
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func twoPaths(in, what string) (string, string, error) {
	p := splitList(in)
	if len(p) != 2 {
		return "", "", fmt.Errorf("-in for %s needs two comma-separated files, got %q", what, in)
	}
	return p[0], p[1], nil
}

// read loads the input described by f.
func (f *inputFlags) read() (*traffic.Dataset, traffic.Report, error) {
	if f.in == "" {
		return nil, traffic.Report{}, errors.New("-in is required")
	}
	prog, done := f.progress("reading " + filepath.Base(f.in))
	defer done()
	opt := trafficio.Options{Strict: f.strict, KeepOrder: f.keepOrder, Progress: prog}
	classes := splitList(f.classes)
	switch f.from {
	case "default":
		v, err := datasets.ParseVariant(f.variant)
		if err != nil {
			return nil, traffic.Report{}, err
		}
		ds, err := datasets.Load(f.in, v, f.seed)
		return ds, traffic.Report{Read: lenTraces(ds)}, err
	case "folder":
		return trafficio.ReadCSVFolder(f.in, trafficio.FolderOptions{Options: opt, Labels: f.labels})
	case "longcsv":
		return trafficio.ReadLongCSV(f.in, trafficio.LongOptions{Options: opt})
	case "pcap":
		rule, err := trafficio.ParseDirectionRule(f.rule)
		if err != nil {
			return nil, traffic.Report{}, fmt.Errorf("-rule: %w", err)
		}
		return trafficio.ReadPcaps(f.in, trafficio.PcapOptions{Options: opt, Rule: rule, Labels: f.labels})
	case "npz":
		names, err := f.npzClasses(classes)
		if err != nil {
			return nil, traffic.Report{}, err
		}
		return trafficio.ReadNPZ(f.in, trafficio.ArrayOptions{Classes: names})
	case "npy":
		x, y, err := twoPaths(f.in, "npy")
		if err != nil {
			return nil, traffic.Report{}, err
		}
		return trafficio.ReadNPY(x, y, trafficio.ArrayOptions{Classes: classes})
	case "dg":
		return trafficio.ReadDoppelGANger(f.in, trafficio.DGOptions{LabelFrom: f.dgFrom, LabelTo: f.dgTo, Classes: classes, Strict: f.strict})
	case "netshare-packets":
		return trafficio.ReadNetSharePackets(f.in, trafficio.NetShareOptions{Options: opt, LabelColumn: f.labelCol})
	case "netshare-flows":
		return trafficio.ReadNetShareFlows(f.in, trafficio.NetShareOptions{Options: opt, LabelColumn: f.labelCol})
	case "wiki-long":
		return trafficio.ReadWikiLong(f.in, trafficio.WikiOptions{Options: opt})
	case "wiki-wide":
		return trafficio.ReadWikiWide(f.in, trafficio.WikiOptions{Options: opt})
	case "df":
		x, y, err := twoPaths(f.in, "df")
		if err != nil {
			return nil, traffic.Report{}, err
		}
		return trafficio.ReadDFPickles(x, y, trafficio.DFOptions{Classes: classes})
	case "throughput":
		return trafficio.ReadThroughput(f.in, trafficio.ThroughputOptions{Options: opt})
	}
	return nil, traffic.Report{}, fmt.Errorf("-from %q: unknown input format (see 'netdiffus data -h')", f.from)
}

// npzClasses prefers -classes, then the names WriteNPZ stored (a damaged classes array is an error).
func (f *inputFlags) npzClasses(classes []string) ([]string, error) {
	if classes != nil {
		return classes, nil
	}
	return trafficio.ReadNPZClasses(f.in)
}

func lenTraces(ds *traffic.Dataset) int {
	if ds == nil {
		return 0
	}
	return len(ds.Traces)
}

func write(ds *traffic.Dataset, to, out string, feat featureFlags) error {
	switch to {
	case "longcsv":
		return trafficio.WriteLongCSV(out, ds)
	case "folder":
		return trafficio.WriteCSVFolder(out, ds)
	case "npz":
		f, err := feat.resolve(ds.Default)
		if err != nil {
			return err
		}
		return trafficio.WriteNPZ(out, ds, f)
	}
	return fmt.Errorf("-to %q: use longcsv, folder or npz", to)
}

func dataList(w io.Writer) error {
	for _, c := range datasets.Cards() {
		fmt.Fprintf(w, "%s  %s\n    task:    %s\n    feature: %s\n    groups:  %s\n    small:   %s\n    medium:  %s\n    full:    %s\n",
			c.Name, c.Title, c.Task, c.Feature, c.Groups, c.Small, c.Medium, c.Full)
	}
	return nil
}

func dataGenerate(args []string) error {
	fs := flag.NewFlagSet("data generate", flag.ContinueOnError)
	name := fs.String("name", "d1", "dataset: d1, d2, d3 or ww")
	variant := fs.String("variant", "small", "small, medium or full (quick: the former name of small)")
	seed := fs.Uint64("seed", datasets.DefaultSeed, "generator seed")
	to := fs.String("to", "npz", "output format: npz, longcsv or folder (packet datasets d2, d3 only)")
	out := fs.String("out", "", "output file or folder (required)")
	force := fs.Bool("force", false, "replace an existing output")
	var feat featureFlags
	feat.register(fs, "npz feature (default: the dataset's)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := valid.First(valid.NoArgs(fs), feat.check(), valid.Enum("-to", *to, "npz", "longcsv", "folder"),
		valid.Enum("-variant", *variant, "small", "medium", "full", datasets.LegacySmall)); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("generate: -out is required")
	}
	if err := claimOutput(*to, *out, *force); err != nil {
		return err
	}
	v, err := datasets.ParseVariant(*variant)
	if err != nil {
		return err
	}
	ds, err := datasets.Load(*name, v, *seed)
	if err != nil {
		return err
	}
	if err := write(ds, *to, *out, feat); err != nil {
		return err
	}
	fmt.Printf("wrote %s (%s, seed %d): %d traces, %d classes -> %s\n", *name, v, *seed, len(ds.Traces), len(ds.Classes), *out)
	return nil
}

func dataConvert(args []string) error {
	fs := flag.NewFlagSet("data convert", flag.ContinueOnError)
	var in inputFlags
	in.register(fs)
	to := fs.String("to", "npz", "output format: longcsv, folder or npz")
	out := fs.String("out", "", "output file or folder (required)")
	force := fs.Bool("force", false, "replace an existing output (never an input)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := valid.First(valid.NoArgs(fs), in.check(), valid.Enum("-to", *to, "npz", "longcsv", "folder")); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("convert: -out is required")
	}
	if err := claimOutput(*to, *out, *force, in.paths()...); err != nil {
		return err
	}
	ds, rep, err := in.read()
	if err != nil {
		return err
	}
	rep.Print(os.Stderr, 20)
	if err := write(ds, *to, *out, in.feature); err != nil {
		return err
	}
	fmt.Printf("wrote %d traces, %d classes -> %s\n", len(ds.Traces), len(ds.Classes), *out)
	return nil
}

func dataStats(args []string) error {
	fs := flag.NewFlagSet("data stats", flag.ContinueOnError)
	var in inputFlags
	in.register(fs)
	all := fs.Bool("all", false, "list every skipped item, not just the first 20")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := valid.First(valid.NoArgs(fs), in.check()); err != nil {
		return err
	}
	ds, rep, err := in.read()
	if err != nil {
		return err
	}
	ds.WriteStats(os.Stdout)
	fmt.Println()
	max := 20
	if *all {
		max = -1
	}
	rep.Print(os.Stdout, max)
	return nil
}

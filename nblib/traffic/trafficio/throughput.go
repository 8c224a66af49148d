package trafficio

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/netdiffus/netdiffus/internal/infile"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// ThroughputOptions configure ReadThroughput.
type ThroughputOptions struct {
	Options
	// Step is the bin width of the output series in seconds (1 when 0).
	Step float64
	// Label names a file's class and group; PensieveLabel when nil.
	Label func(file string) (label, group string)
	// MaxBins bounds the bins of one trace (DefaultMaxBins when 0): a line
	// whose time would stretch the trace beyond it is reported and skipped,
	// so one absurd time (1e9 s) cannot allocate gigabytes.
	MaxBins int
}

// DefaultMaxBins is ThroughputOptions.MaxBins when unset: 2^22 bins, 48 days
// at 1 s.
const DefaultMaxBins = 1 << 22

// MaxBinsPerLine bounds the bins a trace may span per valid line read so far,
// so a two-line file cannot claim megabytes of bins (bandwidth logs have a line
// every second or so; 4096 bins per line allows samples over an hour apart at a
// 1 s step).
const MaxBinsPerLine = 4096

// PensieveLabel labels Pensieve's bandwidth logs by transport mode:
// "norway_bus_14" and "bus.ljansbakken-oslo-report..." are bus/norway,
// FCC logs "trace_<n>_<url>" are fcc/fcc.
func PensieveLabel(file string) (label, group string) {
	if strings.HasPrefix(file, "trace_") {
		return "fcc", "fcc"
	}
	name := strings.TrimPrefix(file, "norway_")
	if i := strings.IndexAny(name, "._"); i > 0 {
		name = name[:i]
	}
	return name, "norway"
}

// ReadThroughput reads every regular file of dir (except SOURCE.txt and
// README files) as a bandwidth log of "<time s> <throughput Mbit/s>" lines
// and integrates the piecewise-constant throughput into bytes per Step:
//
//	B_k = sum_i r_i * 1e6/8 * |[t_i, t_{i+1}) ∩ [k*Step, (k+1)*Step)|,
//
// with times relative to the first line; the last line only closes the
// previous interval. Malformed lines and backwards times are reported and
// skipped. Files are read in name order; Progress counts files.
func ReadThroughput(dir string, opt ThroughputOptions) (*traffic.Dataset, traffic.Report, error) {
	var rep traffic.Report
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, rep, err
	}
	label := opt.Label
	if label == nil {
		label = PensieveLabel
	}
	step := opt.Step
	if step <= 0 {
		step = 1
	}
	var names []string
	for _, e := range ents {
		n := e.Name()
		if e.Type().IsRegular() && n != "SOURCE.txt" && !strings.HasPrefix(strings.ToUpper(n), "README") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var traces []traffic.Trace
	for i, n := range names {
		opt.progress(int64(i), int64(len(names)))
		vals, err := readThroughputFile(filepath.Join(dir, n), step, orDefaultInt(opt.MaxBins, DefaultMaxBins), opt.Options, &rep)
		if err != nil {
			return nil, rep, err
		}
		if len(vals) == 0 {
			rep.Add(filepath.Join(dir, n), 0, n, "fewer than two valid lines: empty trace skipped")
			continue
		}
		l, g := label(n)
		traces = append(traces, traffic.Trace{ID: n, Label: l, Group: g, Values: vals, Step: step})
	}
	opt.progress(int64(len(names)), int64(len(names)))
	rep.Read = len(traces)
	maxLen := 0
	for _, t := range traces {
		maxLen = max(maxLen, len(t.Values))
	}
	ds, err := traffic.NewDataset(filepath.Base(dir), traces, nil, traffic.Feature{Kind: traffic.BytesPerBin, Bin: step, Length: max(maxLen, 1)})
	return ds, rep, err
}

type rateSample struct{ t, mbps float64 }

func orDefaultInt(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

func readThroughputFile(path string, step float64, maxBins int, opt Options, rep *traffic.Report) ([]float64, error) {
	f, err := infile.Open(path, infile.MaxTrace)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var samples []rateSample
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		s, msg := parseRateLine(sc.Text())
		if msg == "" && len(samples) > 0 && s.t < samples[len(samples)-1].t {
			msg = fmt.Sprintf("time %g is before the previous line's %g", s.t, samples[len(samples)-1].t)
		}
		if limit := min(maxBins, MaxBinsPerLine*(len(samples)+1)); msg == "" && len(samples) > 0 && (s.t-samples[0].t)/step > float64(limit) {
			msg = fmt.Sprintf("time %g is %g s after the first line: over %d bins of %g s (MaxBins %d, and at most %d bins per line so far)", s.t, s.t-samples[0].t, limit, step, maxBins, MaxBinsPerLine)
		}
		if msg != "" {
			if err := opt.rowProblem(rep, path, line, filepath.Base(path), msg+": line skipped"); err != nil {
				return nil, err
			}
			continue
		}
		samples = append(samples, s)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return integrateRate(samples, step), nil
}

func parseRateLine(text string) (rateSample, string) {
	f := strings.Fields(text)
	if len(f) != 2 {
		return rateSample{}, fmt.Sprintf("%d fields, want \"<time s> <Mbit/s>\"", len(f))
	}
	t, err1 := strconv.ParseFloat(f[0], 64)
	r, err2 := strconv.ParseFloat(f[1], 64)
	if err1 != nil || err2 != nil || math.IsNaN(t) || math.IsNaN(r) || r < 0 || math.Abs(t) > MaxTime || r > 1e9 {
		return rateSample{}, fmt.Sprintf("%q is not a time and a non-negative rate (finite, |time| <= %g s, rate <= 1e9 Mbit/s)", text, float64(MaxTime))
	}
	return rateSample{t, r}, ""
}

// integrateRate spreads each interval's bytes over the bins it overlaps.
func integrateRate(s []rateSample, step float64) []float64 {
	if len(s) < 2 {
		return nil
	}
	t0 := s[0].t
	n := int(math.Ceil((s[len(s)-1].t - t0) / step))
	out := make([]float64, max(n, 1))
	for i := 0; i+1 < len(s); i++ {
		a, b := s[i].t-t0, s[i+1].t-t0
		rate := s[i].mbps * 1e6 / 8
		for a < b {
			k := int(a / step)
			end := math.Min(b, float64(k+1)*step)
			if k < len(out) {
				out[k] += rate * (end - a)
			}
			a = end
		}
	}
	return out
}

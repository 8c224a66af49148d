package trafficio

import (
	"fmt"
	"math"
	"path/filepath"
	"strconv"

	"github.com/netdiffus/netdiffus/internal/npy"
	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// DGOptions configure ReadDoppelGANger.
type DGOptions struct {
	// Feature is the column of data_feature to read (0 for WW's page views).
	Feature int
	// LabelFrom and LabelTo select the one-hot attribute columns
	// [LabelFrom, LabelTo) that form the class, e.g. the access-type block
	// of WW's attributes. Both 0: all attribute columns.
	LabelFrom, LabelTo int
	// Classes names the selected attribute columns; "0", "1", ... when nil.
	Classes []string
	// Step is the seconds between samples (86400 for daily WW data).
	Step float64
	// MaxArrayBytes bounds the data of one array (npy.DefaultMaxArrayBytes, 1 GiB, when 0).
	MaxArrayBytes int64
	// Strict turns the first series that cannot be read (no valid step, a NaN, class attributes that are
	// not one-hot) into an error instead of a report entry.
	Strict bool
}

// ReadDoppelGANger reads DoppelGANger's data_train.npz / data_test.npz:
// data_feature (N, T, F), data_attribute (N, A) with one-hot blocks and
// data_gen_flag (N, T) marking the valid steps of each series (a series
// ends at its last flag of 1). The class is the argmax of the selected
// attribute block; series with no valid step, or a NaN, are reported.
func ReadDoppelGANger(path string, opt DGOptions) (*traffic.Dataset, traffic.Report, error) {
	var rep traffic.Report
	r, err := npy.OpenNPZ(path, npy.Limits{MaxArrayBytes: opt.MaxArrayBytes})
	if err != nil {
		return nil, rep, err
	}
	defer r.Close()
	// Check the three shapes against each other before reading any data.
	var shapes [3][]int
	for i, name := range []string{"data_feature", "data_attribute", "data_gen_flag"} {
		h, err := r.Header(name)
		if err != nil {
			return nil, rep, err
		}
		shapes[i] = h.Shape
	}
	n, t, f, err := dgShapes(path, shapes[0], shapes[1], shapes[2], opt)
	if err != nil {
		return nil, rep, err
	}
	feat, err := readNPZArray(r, "data_feature")
	if err != nil {
		return nil, rep, err
	}
	attr, err := readNPZArray(r, "data_attribute")
	if err != nil {
		return nil, rep, err
	}
	flag, err := readNPZArray(r, "data_gen_flag")
	if err != nil {
		return nil, rep, err
	}
	from, to := opt.LabelFrom, opt.LabelTo
	if from == 0 && to == 0 {
		to = attr.shape[1]
	}
	classes := opt.Classes
	if classes == nil {
		classes = numberNames(to - from)
	}
	if len(classes) != to-from {
		return nil, rep, fmt.Errorf("%s: %d class names for %d attribute columns [%d,%d)", path, len(classes), to-from, from, to)
	}
	a := attr.shape[1]
	rows := Options{Strict: opt.Strict}
	var traces []traffic.Trace
	for i := range n {
		id := "series " + strconv.Itoa(i)
		length := validLength(flag.data[i*t : (i+1)*t])
		if length == 0 {
			if err := rows.rowProblem(&rep, path, i+1, id, "data_gen_flag is all zero: empty series skipped"); err != nil {
				return nil, rep, err
			}
			continue
		}
		vals := make([]float64, length)
		for k := range length {
			vals[k] = feat.data[(i*t+k)*f+opt.Feature]
		}
		if j := firstNaN(vals); j >= 0 {
			if err := rows.rowProblem(&rep, path, i+1, id, fmt.Sprintf("step %d is not a finite number: series skipped", j)); err != nil {
				return nil, rep, err
			}
			continue
		}
		c, problem := oneHot(attr.data[i*a+from : i*a+to])
		if problem != "" {
			if err := rows.rowProblem(&rep, path, i+1, id, fmt.Sprintf("class attributes [%d,%d) are not one-hot: the row %s; series skipped", from, to, problem)); err != nil {
				return nil, rep, err
			}
			continue
		}
		traces = append(traces, traffic.Trace{ID: id, Label: classes[c], Values: vals, Step: opt.Step})
	}
	rep.Read = len(traces)
	ds, err := traffic.NewDataset(filepath.Base(path), traces, classes, traffic.Feature{Kind: traffic.Values, Length: t})
	return ds, rep, err
}

func dgShapes(path string, feat, attr, flag []int, opt DGOptions) (n, t, f int, err error) {
	if len(feat) != 3 || len(attr) != 2 || len(flag) != 2 {
		return 0, 0, 0, fmt.Errorf("%s: shapes data_feature %v, data_attribute %v, data_gen_flag %v; want (N,T,F), (N,A), (N,T)", path, feat, attr, flag)
	}
	n, t, f = feat[0], feat[1], feat[2]
	if attr[0] != n || flag[0] != n || flag[1] != t {
		return 0, 0, 0, fmt.Errorf("%s: inconsistent shapes data_feature %v, data_attribute %v, data_gen_flag %v", path, feat, attr, flag)
	}
	if n > 0 && (t == 0 || f == 0 || attr[1] == 0) {
		return 0, 0, 0, fmt.Errorf("%s: shapes data_feature %v, data_attribute %v: series of length 0, or no features or attributes", path, feat, attr)
	}
	if opt.Feature < 0 || opt.Feature >= f {
		return 0, 0, 0, fmt.Errorf("%s: feature column %d outside the %d columns", path, opt.Feature, f)
	}
	if opt.LabelFrom < 0 || opt.LabelTo > attr[1] || opt.LabelFrom > opt.LabelTo || (opt.LabelTo == opt.LabelFrom && opt.LabelTo != 0) {
		return 0, 0, 0, fmt.Errorf("%s: label columns [%d,%d) outside the %d attribute columns", path, opt.LabelFrom, opt.LabelTo, attr[1])
	}
	return n, t, f, nil
}

// validLength is one past the last step whose flag is set.
func validLength(flags []float64) int {
	for k := len(flags) - 1; k >= 0; k-- {
		if flags[k] > 0.5 {
			return k + 1
		}
	}
	return 0
}

func firstNaN(v []float64) int {
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return i
		}
	}
	return -1
}

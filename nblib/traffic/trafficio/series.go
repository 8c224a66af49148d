package trafficio

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/netdiffus/netdiffus/internal/infile"
	"github.com/netdiffus/netdiffus/internal/npy"
)

// SeriesLayout says how a series CSV holds its series.
type SeriesLayout string

const (
	// SeriesRows: one series per line, values separated by commas (lines may differ in length).
	SeriesRows SeriesLayout = "rows"
	// SeriesColumn: one series down column SeriesOptions.Column.
	SeriesColumn SeriesLayout = "column"
	// SeriesAuto: SeriesColumn when every line has one field, else SeriesRows.
	SeriesAuto SeriesLayout = "auto"
)

// DefaultMaxSeriesValues bounds the values one series file may hold (2^27 float64s: 1 GiB, as
// npy.DefaultMaxArrayBytes bounds one array).
const DefaultMaxSeriesValues = 1 << 27

// SeriesOptions configure ReadSeries and ReadSeriesCSV. The zero value reads SeriesAuto, column 0, no
// header, at most DefaultMaxSeriesValues values.
type SeriesOptions struct {
	Layout    SeriesLayout // "" is SeriesAuto
	Column    int          // SeriesColumn: the column index, 0-based
	Header    bool         // skip the first line
	MaxValues int64        // 0: DefaultMaxSeriesValues
}

// ParseSeriesLayout checks a layout name: rows, column or auto.
func ParseSeriesLayout(s string) (SeriesLayout, error) {
	switch l := SeriesLayout(s); l {
	case SeriesRows, SeriesColumn, SeriesAuto:
		return l, nil
	}
	return "", fmt.Errorf("series layout %q: want rows, column or auto", s)
}

func (o SeriesOptions) maxValues() int64 {
	if o.MaxValues > 0 {
		return o.MaxValues
	}
	return DefaultMaxSeriesValues
}

// ReadSeries reads unlabelled series from a .csv or .txt file (ReadSeriesCSV) or a .npy file
// (ReadSeriesNPY), chosen by the extension.
func ReadSeries(path string, opt SeriesOptions) ([][]float64, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".npy":
		return ReadSeriesNPY(path, opt)
	case ".csv", ".txt":
		return ReadSeriesCSV(path, opt)
	}
	return nil, fmt.Errorf("%s: unknown extension; want .csv or .npy", path)
}

// ReadSeriesCSV reads one series per line (SeriesRows) or one series down a column (SeriesColumn) of a
// headerless CSV file; lines starting with # are comments. Every value must be a finite number; an error
// names the file, the line and the column. The file is streamed, and more than MaxValues values is an
// error before they are stored.
func ReadSeriesCSV(path string, opt SeriesOptions) ([][]float64, error) {
	layout := opt.Layout
	if layout == "" {
		layout = SeriesAuto
	}
	if _, err := ParseSeriesLayout(string(layout)); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if opt.Column < 0 {
		return nil, fmt.Errorf("%s: column %d: want 0 or more", path, opt.Column)
	}
	fh, err := infile.Open(path, infile.MaxCSV)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	r := csv.NewReader(bufio.NewReader(fh))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	r.ReuseRecord = true
	r.Comment = '#'
	if opt.Header {
		if _, err := r.Read(); err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: header: %w", path, err)
		}
	}
	values, ends, oneField, err := readSeriesValues(path, r, layout, opt.Column, opt.maxValues())
	if err != nil {
		return nil, err
	}
	if layout == SeriesColumn || layout == SeriesAuto && oneField {
		if layout == SeriesAuto && opt.Column > 0 {
			return nil, fmt.Errorf("%s: every line has 1 field, no column %d", path, opt.Column)
		}
		return [][]float64{values}, nil
	}
	rows := make([][]float64, len(ends))
	start := 0
	for i, end := range ends {
		rows[i] = values[start:end:end]
		start = end
	}
	return rows, nil
}

// readSeriesValues parses every data line of r into values: all its fields for SeriesRows and
// SeriesAuto, field column alone for SeriesColumn. ends[i] is where line i's values end; oneField
// reports whether every line had one field.
func readSeriesValues(path string, r *csv.Reader, layout SeriesLayout, column int, maxValues int64) (values []float64, ends []int, oneField bool, err error) {
	oneField = true
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, false, fmt.Errorf("%s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) != 1 {
			oneField = false
		}
		fields, first := rec, 0
		if layout == SeriesColumn {
			if column >= len(rec) {
				return nil, nil, false, fmt.Errorf("%s: line %d has %d fields, no column %d", path, line, len(rec), column)
			}
			fields, first = rec[column:column+1], column
		} else if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			return nil, nil, false, fmt.Errorf("%s: line %d is empty", path, line)
		}
		if int64(len(values))+int64(len(fields)) > maxValues {
			return nil, nil, false, fmt.Errorf("%s: more than %d values (SeriesOptions.MaxValues): split the file", path, maxValues)
		}
		for j, s := range fields {
			v, err := parseSeriesValue(s)
			if err != nil {
				return nil, nil, false, fmt.Errorf("%s: line %d, column %d: %w", path, line, first+j+1, err)
			}
			values = append(values, v)
		}
		ends = append(ends, len(values))
	}
	if len(ends) == 0 {
		return nil, nil, false, fmt.Errorf("%s: no data lines", path)
	}
	return values, ends, oneField, nil
}

// parseSeriesValue parses one finite number.
func parseSeriesValue(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number (skip a header line with the header option)", s)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a finite number", s)
	}
	return v, nil
}

// ReadSeriesNPY reads a float64 or float32 array of shape (N, L), N series of L values, or (L,), one
// series. The header is checked against the file size and npy's default limits before the data is read
// (and N*L against MaxValues); any other rank or dtype, an empty series, no series at all or a value that
// is not finite is an error naming the file.
func ReadSeriesNPY(path string, opt SeriesOptions) ([][]float64, error) {
	a, err := npy.ReadFile(path, npy.Limits{MaxArrayBytes: 8 * opt.maxValues()})
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
	if int64(shape[0])*int64(shape[1]) > opt.maxValues() {
		return nil, fmt.Errorf("%s: shape %v holds more than %d values (SeriesOptions.MaxValues)", path, a.Shape, opt.maxValues())
	}
	flat := a.Float64s()
	out := make([][]float64, shape[0])
	for i := range out {
		out[i] = flat[i*shape[1] : (i+1)*shape[1] : (i+1)*shape[1]]
		for j, v := range out[i] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%s: series %d, value %d is %v; want finite numbers", path, i, j, v)
			}
		}
	}
	return out, nil
}

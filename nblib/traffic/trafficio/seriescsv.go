package trafficio

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/netdiffus/netdiffus/internal/atomicfile"
)

// LabelledSeries is one fixed-length series with its trace ID and label, e.g.
// a synthetic trace decoded from a generated image.
type LabelledSeries struct {
	ID, Label string
	Values    []float64
}

// WriteSeriesCSV writes series as one long CSV with columns
// trace,label,k,<column> (k counts samples from 0), atomically. column names
// the feature, e.g. "signed_size"; "value" when empty.
func WriteSeriesCSV(path, column string, series []LabelledSeries) error {
	if column == "" {
		column = "value"
	}
	if len(series) == 0 {
		return fmt.Errorf("%s: no series to write", path)
	}
	return atomicfile.Write(path, func(w0 io.Writer) error {
		bw := bufio.NewWriterSize(w0, 1<<16)
		w := csv.NewWriter(bw)
		w.Write([]string{"trace", "label", "k", column})
		for _, s := range series {
			for k, v := range s.Values {
				w.Write([]string{s.ID, s.Label, strconv.Itoa(k), formatFloat(v)})
			}
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return err
		}
		return bw.Flush()
	})
}

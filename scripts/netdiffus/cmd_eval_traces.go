package main

import (
	"fmt"

	"github.com/netdiffus/netdiffus/nblib/pipeline"
	"github.com/netdiffus/netdiffus/nblib/traffic/trafficio"
)

// attachTraces reads the real traces behind the -real images (eval -traces) into data; "" does nothing.
func attachTraces(path string, data *pipeline.Data, fraction float64) error {
	if path == "" {
		return nil
	}
	ds, _, err := trafficio.ReadNPZ(path, trafficio.ArrayOptions{})
	if err != nil {
		return err
	}
	series, err := ds.Series(ds.Default)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := data.AttachSeries(series, ds.Labels(), ds.Default, fraction); err != nil {
		return fmt.Errorf("-traces %s: %w", path, err)
	}
	return nil
}

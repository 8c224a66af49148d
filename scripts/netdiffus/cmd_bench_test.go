package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/bench"
)

// TestBenchSmokeJSON runs `netdiffus bench -preset smoke` for a few steps on this machine's backend and
// checks the JSON it prints: exactly the fields of bench.Result (whose names TestResultJSONSchema pins),
// every section filled, the counts asked for, positive rates, and -twin reporting either its ratio or
// why it did not run.
func TestBenchSmokeJSON(t *testing.T) {
	out := mustRun(t, "bench", "-preset", "smoke", "-steps", "3", "-calls", "2", "-sample-batch", "8", "-set", "Sample.Steps=4", "-twin", "-twin-steps", "2")
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	var r bench.Result
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("bench output is not bench.Result's JSON: %v\n%s", err, out)
	}
	for _, key := range []string{`"backend"`, `"model"`, `"train"`, `"sample"`, `"memory"`, `"twin"`, `"images_per_sec"`, `"call_images_per_sec"`, `"compile_seconds"`, `"host_peak_bytes"`} {
		if !strings.Contains(out, key) {
			t.Errorf("output lacks %s", key)
		}
	}
	if r.Preset != "smoke" || r.Backend.Name == "" || r.Backend.Devices < 1 || r.Backend.Choice == "" || r.Model.Size != 16 || r.Model.Params <= 0 {
		t.Errorf("header: %+v %+v", r.Backend, r.Model)
	}
	if r.Train.Batch != 32 || r.Train.Steps != 3 || r.Sample.Batch != 8 || r.Sample.Calls != 2 || r.Sample.ReverseSteps != 4 {
		t.Errorf("counts: train %+v sample %+v", r.Train, r.Sample)
	}
	if r.Train.CompileSeconds <= 0 || r.Train.ImagesPerSec <= 0 || r.Sample.CallImagesPerSec <= 0 || r.Sample.ImagesPerSec <= 0 || r.Memory.HostPeakBytes <= 0 {
		t.Errorf("rates: train %+v sample %+v memory %+v", r.Train, r.Sample, r.Memory)
	}
	if r.Twin == nil || (r.Twin.Skipped == "") == (r.Twin.Ratio == 0) {
		t.Errorf("twin: %+v, want a ratio or a reason", r.Twin)
	}
}

func TestBenchRefusals(t *testing.T) {
	wantError(t, "-model is not used", "bench", "-model", "x")
	wantError(t, "must be >= 1", "bench", "-steps", "0")
	wantError(t, "preset", "bench", "-preset", "medium")
}

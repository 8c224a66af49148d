package unet

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/gomlx/compute/distributed"
	"github.com/gomlx/gomlx/core/tensors"
)

func TestResolveDevices(t *testing.T) {
	for _, tc := range []struct {
		want, have, batch, got int
		err                    string
	}{
		{0, 1, 32, 1, ""},
		{0, 8, 32, 8, ""},
		{0, 3, 16, 2, ""}, // all three do not divide 16: the most that do
		{0, 8, 6, 6, ""},
		{0, 4, 1, 1, ""},
		{1, 8, 16, 1, ""},
		{4, 8, 16, 4, ""},
		{2, 1, 32, 0, "asks for 2 devices but the backend has 1"},
		{3, 4, 16, 0, "does not split evenly"},
		{-1, 4, 16, 0, "want 0 (all local devices)"},
	} {
		got, err := ResolveDevices(tc.want, tc.have, tc.batch)
		if got != tc.got || (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("ResolveDevices(%d, %d, %d) = %d, %v; want %d, %q", tc.want, tc.have, tc.batch, got, err, tc.got, tc.err)
		}
	}
}

// TestSetDevicesOnOneDeviceBackend: asking a one-device backend for two devices is an error naming
// the fix, and 0 (all) or 1 leave the training step exactly as it was: the same losses, bit for bit,
// as a trainer that never heard of devices.
func TestSetDevicesOnOneDeviceBackend(t *testing.T) {
	b := goBackend(t)
	const steps = 2
	plain, err := New(b, tiny())
	if err != nil {
		t.Fatal(err)
	}
	var want []StepResult
	for step := range steps {
		x, y := fixedBatch(tiny(), uint64(step))
		r, err := plain.TrainStep(x, y)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, r)
	}
	for _, n := range []int{0, 1} {
		tr, err := New(b, tiny())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tr.SetDevices(2); err == nil || !strings.Contains(err.Error(), "backend has 1") || !strings.Contains(err.Error(), "Train.Devices=1") {
			t.Errorf("SetDevices(2) on the Go backend: %v", err)
		}
		if got, err := tr.SetDevices(n); got != 1 || err != nil || tr.Devices() != 1 {
			t.Fatalf("SetDevices(%d) = %d, %v", n, got, err)
		}
		for step := range steps {
			x, y := fixedBatch(tiny(), uint64(step))
			got, err := tr.TrainStep(x, y)
			if err != nil {
				t.Fatal(err)
			}
			if math.Float64bits(got.Loss) != math.Float64bits(want[step].Loss) || math.Float64bits(got.GradNorm) != math.Float64bits(want[step].GradNorm) {
				t.Errorf("devices %d, step %d: %+v, one-device trainer %+v", n, step+1, got, want[step])
			}
		}
	}
}

// TestShardSplitsTheBatch checks the host side of data parallelism without a multi-device backend:
// each per-example input is cut along its batch axis into contiguous equal parts, one per device, and
// the other axes stay whole.
func TestShardSplitsTheBatch(t *testing.T) {
	mesh, err := distributed.NewDeviceMesh([]int{2}, []string{"data"})
	if err != nil {
		t.Fatal(err)
	}
	spec, err := distributed.BuildSpec(mesh).S("data").Done()
	if err != nil {
		t.Fatal(err)
	}
	d := &dataParallel{devices: 2, batch: spec}
	x := tensors.FromFlatDataAndDimensions([]float32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 4, 3)
	labels := tensors.FromFlatDataAndDimensions([]int32{7, 8, 9, 10}, 4)
	args, err := d.shard(x, labels)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]any{{[][]float32{{0, 1, 2}, {3, 4, 5}}, [][]float32{{6, 7, 8}, {9, 10, 11}}}, {[]int32{7, 8}, []int32{9, 10}}}
	for i, a := range args {
		shards := a.(interface{ Shards() []*tensors.Tensor }).Shards()
		if len(shards) != 2 {
			t.Fatalf("input %d: %d shards", i, len(shards))
		}
		for s, sh := range shards {
			if got := sh.Value(); !reflect.DeepEqual(got, want[i][s]) {
				t.Errorf("input %d shard %d = %v, want %v", i, s, got, want[i][s])
			}
		}
	}
	odd := tensors.FromFlatDataAndDimensions([]float32{1, 2, 3}, 3)
	if _, err := d.shard(odd); err == nil {
		t.Error("a batch of 3 split across 2 devices: no error")
	}
}

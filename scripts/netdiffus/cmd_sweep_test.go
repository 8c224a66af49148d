package main

import (
	"testing"

	"github.com/netdiffus/netdiffus/nblib/pipeline"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// TestSampleSweepFlags: -calls takes positive numbers only; -only keeps the labels with one of its words.
func TestSampleSweepFlags(t *testing.T) {
	if c, err := parseCalls("10, 18,25"); err != nil || len(c) != 3 || c[1] != 18 {
		t.Errorf("parseCalls: %v, %v", c, err)
	}
	for _, bad := range []string{"", "10,x", "0", "-3", "10,,18"} {
		if _, err := parseCalls(bad); err == nil {
			t.Errorf("parseCalls(%q) accepted", bad)
		}
	}
	all := pipeline.SamplerSweepEntries(preset.SmokePreset().Sample, []int{10, 18})
	if got := filterEntries(all, ""); len(got) != len(all) {
		t.Errorf("no filter kept %d of %d", len(got), len(all))
	}
	got := filterEntries(all, "ddpm-50, dpmpp2m-18")
	if len(got) != 3 || got[0].Label != "ddpm-50 trailing" || got[1].Label != "dpmpp2m-18 karras" {
		t.Errorf("filter kept %v", got)
	}
	if got := filterEntries(all, "euler"); len(got) != 0 {
		t.Errorf("filter euler kept %v", got)
	}
}

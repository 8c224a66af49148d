package preset

import (
	"strings"
	"testing"
)

// TestGANSizedPerPreset checks the GAN configurations per preset name: the alias quick is smoke, the
// smoke networks are the shrunk ones, the cpu and full ones keep DoppelGANger's sizes, and an unknown
// name or generator is an error naming it.
func TestGANSizedPerPreset(t *testing.T) {
	cases := []struct {
		kind, name, wantName string
		genUnits             int
		steps                int64
	}{
		{"dg", "smoke", "doppelganger-smoke", 16, 400},
		{"doppelganger", "quick", "doppelganger-smoke", 16, 400},
		{"dg", "cpu", "doppelganger-cpu", 100, 3000},
		{"netshare", "full", "netshare-full", 100, 40000},
	}
	for _, c := range cases {
		got, err := GAN(c.kind, c.name)
		if err != nil {
			t.Fatalf("GAN(%s, %s): %v", c.kind, c.name, err)
		}
		if got.Name != c.wantName || got.GenUnits != c.genUnits || got.Steps != c.steps {
			t.Errorf("GAN(%s, %s) = %s with %d units and %d steps, want %s, %d, %d", c.kind, c.name, got.Name, got.GenUnits, got.Steps, c.wantName, c.genUnits, c.steps)
		}
	}
	for _, bad := range [][2]string{{"dg", "huge"}, {"dg", ""}, {"vae", "cpu"}} {
		if _, err := GAN(bad[0], bad[1]); err == nil || !strings.Contains(err.Error(), "unknown") {
			t.Errorf("GAN(%q, %q): err %v, want an unknown-name error", bad[0], bad[1], err)
		}
	}
}

// TestLiveTrainIsValid checks that the live demonstration's preset passes the checks every run makes.
func TestLiveTrainIsValid(t *testing.T) {
	l := LiveTrain()
	if err := l.Preset.Validate(); err != nil {
		t.Fatal(err)
	}
	if l.Preset.Net.Size != 8 || l.Dataset == "" || l.SampleEvery <= 0 {
		t.Errorf("LiveTrain = %+v", l)
	}
}

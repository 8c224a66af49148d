package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/netdiffus/netdiffus/nblib/diffusion/unet"
	"github.com/netdiffus/netdiffus/nblib/project"
)

// TwinScript is the PyTorch twin's path relative to the repository root.
const TwinScript = "nblib/diffusion/unet/testdata/unet_torch.py"

// TwinOptions say how to run the twin; a zero field takes its default.
type TwinOptions struct {
	Python  string        // interpreter (default $NETDIFFUS_PYTHON, else python3)
	Script  string        // the twin (default FindTwinScript)
	Device  string        // cpu or cuda (default: cuda on an XLA backend whose device says so, else cpu)
	Threads int           // torch CPU threads (default 2)
	Steps   int           // timed steps (default 10)
	Timeout time.Duration // for the whole twin run (default 5 min)
}

// Twin is the PyTorch twin's measurement beside Go's.
type Twin struct {
	Skipped      string   `json:"skipped,omitempty"` // why the twin did not run; the other fields are then empty
	Command      []string `json:"command,omitempty"`
	Torch        string   `json:"torch,omitempty"`
	Device       string   `json:"device,omitempty"`
	Params       int      `json:"params,omitempty"` // weights of the twin's network (Go's: model.params)
	MsPerStep    float64  `json:"ms_per_step,omitempty"`
	ImagesPerSec float64  `json:"images_per_sec,omitempty"`
	// Ratio is Go's training images/s over the twin's: above 1 NetDiffus-Go is faster.
	Ratio float64 `json:"ratio,omitempty"`
}

// Summary is the twin's part of the one-line report.
func (t *Twin) Summary() string {
	if t.Skipped != "" {
		return "PyTorch twin not run: " + t.Skipped
	}
	return fmt.Sprintf("PyTorch twin (torch %s, %s): %.1f images/s, Go/PyTorch %.2f", t.Torch, t.Device, t.ImagesPerSec, t.Ratio)
}

// FindTwinScript returns the twin: unet_torch.py beside the running executable (a carried binary), else
// the repository's TwinScript; "" when neither exists.
func FindTwinScript() string {
	var cands []string
	if exe, err := os.Executable(); err == nil {
		cands = append(cands, filepath.Join(filepath.Dir(exe), filepath.Base(TwinScript)))
	}
	if root := project.Root(); root != "" {
		cands = append(cands, filepath.Join(root, TwinScript))
	}
	for _, c := range cands {
		if st, err := os.Stat(c); err == nil && st.Mode().IsRegular() {
			return c
		}
	}
	return ""
}

// RunTwin runs the PyTorch twin for r's model and training batch and fills r.Twin (a skip, with its
// reason, is not an error: the machine may have no torch). net is the benchmarked network
// (preset.Model(classes).Net).
func RunTwin(ctx context.Context, r *Result, net unet.NetConfig, opt TwinOptions) {
	r.Twin = runTwin(ctx, r, net, opt)
}

func runTwin(ctx context.Context, r *Result, net unet.NetConfig, opt TwinOptions) *Twin {
	opt = opt.withDefaults(r)
	if net.Dims != 2 || net.InChannels != 1 {
		return &Twin{Skipped: "the twin models 2-D single-channel networks only"}
	}
	if opt.Script == "" {
		return &Twin{Skipped: fmt.Sprintf("no twin script (unet_torch.py beside the binary or %s in the repository)", TwinScript)}
	}
	ctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	defer cancel()
	py, err := exec.LookPath(opt.Python)
	if err != nil {
		return &Twin{Skipped: fmt.Sprintf("no %s on PATH (set NETDIFFUS_PYTHON to an interpreter with torch)", opt.Python)}
	}
	if out, err := exec.CommandContext(ctx, py, "-c", "import torch").CombinedOutput(); err != nil {
		return &Twin{Skipped: fmt.Sprintf("%s cannot import torch: %s", py, lastLine(out, err))}
	}
	netJSON, err := json.Marshal(net)
	if err != nil {
		return &Twin{Skipped: "the network configuration is not serialisable: " + err.Error()}
	}
	args := []string{opt.Script, "--net", string(netJSON), "--batch", strconv.Itoa(r.Train.Batch), "--steps", strconv.Itoa(opt.Steps),
		"--device", opt.Device, "--threads", strconv.Itoa(opt.Threads), "--json"}
	t := &Twin{Command: append([]string{py}, args...), Device: opt.Device}
	out, err := exec.CommandContext(ctx, py, args...).CombinedOutput()
	if err != nil {
		t.Skipped = fmt.Sprintf("the twin failed: %s", lastLine(out, err))
		return t
	}
	if err := t.parse(out); err != nil {
		t.Skipped = err.Error()
		return t
	}
	if t.ImagesPerSec > 0 {
		t.Ratio = r.Train.ImagesPerSec / t.ImagesPerSec
	}
	return t
}

func (o TwinOptions) withDefaults(r *Result) TwinOptions {
	if o.Python == "" {
		o.Python = os.Getenv("NETDIFFUS_PYTHON")
	}
	if o.Python == "" {
		o.Python = "python3"
	}
	if o.Script == "" {
		o.Script = FindTwinScript()
	}
	if o.Device == "" {
		o.Device = twinDevice(r.Backend)
	}
	if o.Threads <= 0 {
		o.Threads = 2
	}
	if o.Steps <= 0 {
		o.Steps = 10
	}
	if o.Timeout <= 0 {
		o.Timeout = 5 * time.Minute
	}
	return o
}

// twinDevice is cuda for XLA on an NVIDIA device, else cpu.
func twinDevice(b BackendInfo) string {
	d := strings.ToLower(b.Name + " " + b.Description + " " + b.Device)
	if strings.HasPrefix(strings.ToLower(b.Name), "xla") && (strings.Contains(d, "cuda") || strings.Contains(d, "nvidia") || strings.Contains(d, "gpu")) {
		return "cuda"
	}
	return "cpu"
}

// parse reads the twin's last JSON line.
func (t *Twin) parse(out []byte) error {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	var v struct {
		Torch        string  `json:"torch"`
		Device       string  `json:"device"`
		Params       int     `json:"params"`
		MsPerStep    float64 `json:"ms_per_step"`
		ImagesPerSec float64 `json:"images_per_sec"`
	}
	if err := json.Unmarshal([]byte(last), &v); err != nil || v.ImagesPerSec <= 0 {
		return fmt.Errorf("the twin's last line is not its JSON report (%q): is the script unet_torch.py with --json?", truncate(last, 200))
	}
	t.Torch, t.Device, t.Params, t.MsPerStep, t.ImagesPerSec = v.Torch, v.Device, v.Params, v.MsPerStep, v.ImagesPerSec
	return nil
}

// lastLine is the last non-empty line of a failed command's output, or its error.
func lastLine(out []byte, err error) string {
	lines := strings.Split(strings.TrimSpace(string(bytes.ToValidUTF8(out, nil))), "\n")
	if l := strings.TrimSpace(lines[len(lines)-1]); l != "" {
		return truncate(l, 300)
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.String()
	}
	return err.Error()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

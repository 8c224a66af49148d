package bench

import (
	"bytes"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gomlx/compute"
)

// hostPeakBytes is the process's peak resident set (Linux reports ru_maxrss in KiB), 0 when unknown.
func hostPeakBytes() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return int64(ru.Maxrss) * 1024
}

// deviceWatch polls nvidia-smi for the GPU memory in use while a benchmark runs.
type deviceWatch struct {
	note string
	done chan struct{}
	wg   sync.WaitGroup
	mu   sync.Mutex
	peak int64
}

// watchDeviceMemory starts polling when the backend is XLA and nvidia-smi is on PATH.
func watchDeviceMemory(b compute.Backend) *deviceWatch {
	w := &deviceWatch{}
	smi, err := exec.LookPath("nvidia-smi")
	switch {
	case !strings.HasPrefix(strings.ToLower(b.Name()), "xla"):
		w.note = "not a GPU backend: host memory only"
		return w
	case err != nil:
		w.note = "nvidia-smi not on PATH: GPU memory not measured (GoMLX's backend interface does not report it)"
		return w
	}
	w.note = "highest memory.used of GPU 0 in nvidia-smi polls every 250 ms (all processes on the GPU)"
	w.done = make(chan struct{})
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			if used, ok := queryUsed(smi); ok {
				w.mu.Lock()
				w.peak = max(w.peak, used)
				w.mu.Unlock()
			}
			select {
			case <-w.done:
				return
			case <-tick.C:
			}
		}
	}()
	return w
}

// queryUsed returns GPU 0's memory in use in bytes.
func queryUsed(smi string) (int64, bool) {
	out, err := exec.Command(smi, "--query-gpu=memory.used", "--format=csv,noheader,nounits", "--id=0").Output()
	if err != nil {
		return 0, false
	}
	return parseMiB(out)
}

// parseMiB reads nvidia-smi's "12345" (MiB) line.
func parseMiB(out []byte) (int64, bool) {
	line, _, _ := bytes.Cut(bytes.TrimSpace(out), []byte("\n"))
	mib, err := strconv.ParseInt(strings.TrimSpace(string(line)), 10, 64)
	if err != nil || mib < 0 {
		return 0, false
	}
	return mib << 20, true
}

// stop ends the polling and returns the memory figures.
func (w *deviceWatch) stop() Memory {
	if w.done != nil {
		close(w.done)
		w.wg.Wait()
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return Memory{HostPeakBytes: hostPeakBytes(), DevicePeakBytes: w.peak, DeviceNote: w.note}
}

package backend

import (
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute-onnx" // registers "onnx"
	_ "github.com/gomlx/compute/gobackend"
	_ "github.com/gomlx/go-xla/compute/xla" // registers "xla"; its auto-installer is deliberately not linked
)

// EnvDisableTelemetry is ONNX Runtime's switch for its telemetry (Linux builds since 1.2x keep a
// device id and an event queue for upload to Microsoft under $XDG_CACHE_HOME/Microsoft/DeveloperTools/
// .onnxruntime). The package sets it to "1" at init, before any ONNX Runtime library is loaded,
// unless the user set it.
const EnvDisableTelemetry = "ORT_DISABLE_TELEMETRY"

func init() {
	if _, set := os.LookupEnv(EnvNoAutoInstall); !set {
		_ = os.Setenv(EnvNoAutoInstall, "1")
	}
	if _, set := os.LookupEnv(EnvDisableTelemetry); !set {
		_ = os.Setenv(EnvDisableTelemetry, "1")
	}
}

// Choose returns the backend New would open first on this machine, without opening it.
func Choose() (Choice, error) {
	cands, err := Candidates(SystemProbe())
	if err != nil {
		return Choice{}, err
	}
	return cands[0], nil
}

// Opener constructs a backend from a compute configuration string; compute.NewWithConfig in production.
type Opener func(config string) (compute.Backend, error)

// New opens the best usable backend on this machine (see the package documentation for the order) and
// returns it with the choice made. Candidates that fail to open are skipped and their errors recorded in
// the choice's Reason; an explicit GOMLX_BACKEND that fails to open is an error.
func New() (compute.Backend, Choice, error) {
	cands, err := Candidates(SystemProbe())
	if err != nil {
		return nil, Choice{}, err
	}
	return openFirst(cands, safeOpen)
}

func openFirst(cands []Choice, open Opener) (compute.Backend, Choice, error) {
	var failures []string
	for _, c := range cands {
		b, err := open(c.Config)
		if err == nil {
			if len(failures) > 0 {
				c.Reason = strings.Join(failures, "; ") + "; " + c.Reason
			}
			return b, c, nil
		}
		failures = append(failures, fmt.Sprintf("%s failed to open (%v)", c.Config, err))
	}
	return nil, Choice{}, fmt.Errorf("no backend could be opened: %s", strings.Join(failures, "; "))
}

// safeOpen turns GoMLX's panics (unknown backend names) into errors.
func safeOpen(config string) (b compute.Backend, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return compute.NewWithConfig(config)
}

var (
	sharedOnce    sync.Once
	sharedBackend compute.Backend
	sharedChoice  Choice
	sharedErr     error
)

// Shared returns one process-wide backend, opened by New on first use. Notebooks and commands use it so a
// session compiles against a single backend.
func Shared() (compute.Backend, Choice, error) {
	sharedOnce.Do(func() { sharedBackend, sharedChoice, sharedErr = New() })
	return sharedBackend, sharedChoice, sharedErr
}

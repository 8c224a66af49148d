package pipeline

import (
	"io"

	"github.com/netdiffus/netdiffus/internal/atomicfile"
)

// WriteFile writes data to path atomically (internal/atomicfile), for callers outside nblib such
// as the command line, which cannot import the internal package.
func WriteFile(path string, data []byte) error { return atomicfile.WriteFile(path, data) }

// Write fills path atomically through fill (atomicfile.Write).
func Write(path string, fill func(w io.Writer) error) error { return atomicfile.Write(path, fill) }

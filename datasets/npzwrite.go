package datasets

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"time"

	"github.com/netdiffus/netdiffus/internal/npy"
)

// member is one array of an NPZ archive, written as "<name>.npy".
type member struct {
	name  string
	value any // a slice of a fixed-size numeric type
}

// zipEpoch is the modification time of every member: the earliest a zip
// (MS-DOS) timestamp can hold, so that archives do not depend on the clock.
var zipEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// deterministicNPZ writes the members, in the order given, as a
// deflate-compressed NumPy .npz archive (numpy.load reads it). Equal inputs
// give equal bytes for a given Go release: member order, timestamps and the
// compression level are fixed (the deflate encoder is Go's compress/flate).
//
// Each member is encoded by the project's NumPy writer, internal/npy
// (version 1.0 headers, little-endian, C order, as NumPy writes them); the
// zip layout is written here because npy.CreateNPZ stores members
// uncompressed with the current time.
func deterministicNPZ(members []member) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestCompression)
	})
	for _, m := range members {
		var arr bytes.Buffer
		if err := npy.Write(&arr, m.value); err != nil {
			return nil, fmt.Errorf("npz member %s: %w", m.name, err)
		}
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: m.name + ".npy", Method: zip.Deflate, Modified: zipEpoch})
		if err != nil {
			return nil, err
		}
		if _, err := fw.Write(arr.Bytes()); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

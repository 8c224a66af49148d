// Package infile opens input files the one way every reader of the project does: regular files only,
// with a byte limit per format, and errors that name the file and the limit.
//
// Semantics. The path is opened read-only with O_NONBLOCK, so that a FIFO (or a device) is opened without
// waiting for a writer, and the open descriptor is then checked with Fstat: the check and the read are
// on the same file, whatever the path points to afterwards. Symbolic links are followed (Stat semantics,
// not Lstat): a link to a regular file is that file, a link to /dev/zero is /dev/zero and is refused.
// Directories, FIFOs, sockets and devices are refused with "not a regular file". A file larger than the
// limit is refused before anything is read, and a file that grows past the limit while it is read ends
// the read with ErrTooLarge.
package infile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
)

// Byte limits per format. They are far above every dataset the project knows (the largest real file is
// a 0.3 MB trace CSV; the Inception weights are 92 MB) and far below what would exhaust memory.
const (
	// MaxCSV bounds one CSV file: per-trace CSVs, long CSVs, NetShare, Wikipedia and series CSVs.
	MaxCSV int64 = 1 << 30
	// MaxLabels bounds a labels file (file,label[,group] lines).
	MaxLabels int64 = 64 << 20
	// MaxJSON bounds a configuration or model-description JSON file.
	MaxJSON int64 = 16 << 20
	// MaxTrace bounds one capture or bandwidth log (pcap, throughput), read as a stream.
	MaxTrace int64 = 4 << 30
	// MaxPickle bounds a pickle file.
	MaxPickle int64 = 1 << 30
	// MaxNumPy bounds an .npy or .npz file; the arrays inside have their own limits (internal/npy).
	MaxNumPy int64 = 16 << 30
	// MaxWeights bounds a weights file (Inception's .pth).
	MaxWeights int64 = 1 << 30
)

// ErrNotRegular is returned for a path that is not a regular file (or a link to one).
var ErrNotRegular = errors.New("not a regular file (a FIFO, device, socket or directory cannot be read as input)")

// ErrTooLarge is returned for a file larger than its format's limit.
var ErrTooLarge = errors.New("file larger than the limit")

// File is an open regular input file whose reads stop at its limit.
type File struct {
	f     *os.File
	Path  string
	Size  int64 // the size when it was opened
	Limit int64
	read  int64
}

// Open opens path for reading if it is a regular file of at most limit bytes.
func Open(path string, limit int64) (*File, error) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	f := os.NewFile(uintptr(fd), path)
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, ErrNotRegular)
	}
	if st.Size() > limit {
		f.Close()
		return nil, tooLarge(path, st.Size(), limit)
	}
	return &File{f: f, Path: path, Size: st.Size(), Limit: limit}, nil
}

func tooLarge(path string, size, limit int64) error {
	return fmt.Errorf("%s: %d bytes: %w of %d bytes for this format (split the input, or check it is the file you meant)", path, size, ErrTooLarge, limit)
}

// Read reads from the file, failing with ErrTooLarge once more than Limit bytes came.
func (f *File) Read(p []byte) (int, error) {
	if rest := f.Limit + 1 - f.read; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := f.f.Read(p)
	f.read += int64(n)
	if f.read > f.Limit {
		return n, tooLarge(f.Path, f.read, f.Limit)
	}
	return n, err
}

// Seek sets the offset of the next Read (io.SeekStart only counts from 0 again).
func (f *File) Seek(offset int64, whence int) (int64, error) {
	n, err := f.f.Seek(offset, whence)
	if err == nil {
		f.read = n
	}
	return n, err
}

// ReadAt reads from offset off, within the size the file had when it was opened (for zip archives).
func (f *File) ReadAt(p []byte, off int64) (int, error) {
	if off >= f.Size {
		return 0, io.EOF
	}
	short := false
	if rest := f.Size - off; int64(len(p)) > rest {
		p, short = p[:rest], true
	}
	n, err := f.f.ReadAt(p, off)
	if err == nil && short {
		err = io.EOF
	}
	return n, err
}

// Close closes the file.
func (f *File) Close() error { return f.f.Close() }

// ReadFile reads a whole regular file of at most limit bytes.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, err := Open(path, limit)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, 0, f.Size+1)
	for {
		n, err := f.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}

// Check reports whether path is a regular file of at most limit bytes, without reading it (for readers,
// such as zip archives, that open the file themselves).
func Check(path string, limit int64) error {
	f, err := Open(path, limit)
	if err != nil {
		return err
	}
	return f.Close()
}

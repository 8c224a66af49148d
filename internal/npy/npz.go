package npy

import (
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/netdiffus/netdiffus/internal/infile"

	"github.com/netdiffus/netdiffus/internal/atomicfile"
)

// Archive is an open .npz file.
type Archive struct {
	path    string
	lim     Limits
	zr      *zip.Reader
	closer  io.Closer            // nil for archives read from memory
	members map[string]*zip.File // by array name, without ".npy"
	total   int64                // declared bytes read so far
}

// OpenNPZ opens an .npz archive and indexes its members (at most Limits.MaxMembers). Members are read
// lazily by Read.
func OpenNPZ(path string, lim Limits) (*Archive, error) {
	f, err := infile.Open(path, infile.MaxNumPy)
	if err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(f, f.Size)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w: not a readable .npz (zip) archive: %v", path, ErrFormat, err)
	}
	a, err := index(zr, path, lim)
	if err != nil {
		f.Close()
		return nil, err
	}
	a.closer = f
	return a, nil
}

// NewArchive indexes an .npz archive of size bytes held by r (for example embedded data); name is
// used in errors. Close is a no-op for it.
func NewArchive(r io.ReaderAt, size int64, name string, lim Limits) (*Archive, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: not a readable .npz (zip) archive: %v", name, ErrFormat, err)
	}
	return index(zr, name, lim)
}

func index(zr *zip.Reader, path string, lim Limits) (*Archive, error) {
	lim = lim.withDefaults()
	if len(zr.File) > lim.MaxMembers {
		return nil, limitErr(path, "", "%d members exceed Limits.MaxMembers %d", len(zr.File), lim.MaxMembers)
	}
	a := &Archive{path: path, lim: lim, zr: zr, members: map[string]*zip.File{}}
	for _, f := range zr.File {
		name := strings.TrimSuffix(f.Name, ".npy")
		if _, dup := a.members[name]; dup {
			return nil, formatErr(path, name, "member stored twice")
		}
		a.members[name] = f
	}
	return a, nil
}

// Close closes the archive.
func (a *Archive) Close() error {
	if a.closer == nil {
		return nil
	}
	return a.closer.Close()
}

// Names returns the array names, sorted.
func (a *Archive) Names() []string {
	out := make([]string, 0, len(a.members))
	for n := range a.members {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Has reports whether the archive holds array name (stored as name or name.npy).
func (a *Archive) Has(name string) bool {
	_, ok := a.members[strings.TrimSuffix(name, ".npy")]
	return ok
}

func (a *Archive) member(name string) (*zip.File, string, error) {
	name = strings.TrimSuffix(name, ".npy")
	f, ok := a.members[name]
	if !ok {
		return nil, name, fmt.Errorf("%s: no array %q (it has %v)", a.path, name, a.Names())
	}
	return f, name, nil
}

// Header reads and validates the header of array name without reading its data.
func (a *Archive) Header(name string) (Header, error) {
	f, name, err := a.member(name)
	if err != nil {
		return Header{}, err
	}
	rc, size, err := a.open(f, name)
	if err != nil {
		return Header{}, err
	}
	defer rc.Close()
	return ReadHeader(rc, size, a.lim, a.path, name)
}

// open checks the member's declared size against the limits and returns a reader bounded by it.
func (a *Archive) open(f *zip.File, name string) (io.ReadCloser, int64, error) {
	size := f.UncompressedSize64
	if size > uint64(a.lim.MaxArrayBytes)+uint64(a.lim.MaxHeaderBytes)+12 {
		return nil, 0, limitErr(a.path, name, "member declares %d uncompressed bytes, over Limits.MaxArrayBytes %d", size, a.lim.MaxArrayBytes)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, 0, formatErr(a.path, name, "cannot open member: %v", err)
	}
	return &boundedReader{r: io.LimitReader(rc, int64(size)), raw: rc}, int64(size), nil
}

// boundedReader reads a member up to its declared size; raw is the unbounded member stream.
type boundedReader struct {
	r   io.Reader
	raw io.ReadCloser
}

func (b *boundedReader) Read(p []byte) (int, error) { return b.r.Read(p) }
func (b *boundedReader) Close() error               { return b.raw.Close() }

// Read reads array name. The member's declared size is checked against the limits (and the running
// total against Limits.MaxTotalBytes) before its data is allocated, and reading stops at the declared
// size; the zip checksum is verified.
func (a *Archive) Read(name string) (*Array, error) {
	f, name, err := a.member(name)
	if err != nil {
		return nil, err
	}
	if a.total+int64(f.UncompressedSize64) > a.lim.MaxTotalBytes || int64(f.UncompressedSize64) < 0 {
		return nil, limitErr(a.path, name, "members read so far declare %d bytes and this one %d, over Limits.MaxTotalBytes %d", a.total, f.UncompressedSize64, a.lim.MaxTotalBytes)
	}
	rc, size, err := a.open(f, name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	arr, err := ReadFrom(rc, size, a.lim, a.path, name)
	if err != nil {
		return nil, err
	}
	// Reading to EOF makes archive/zip verify the CRC-32 and that no more data follows.
	var one [1]byte
	if n, err := rc.(*boundedReader).raw.Read(one[:]); n > 0 || (err != nil && err != io.EOF) {
		return nil, formatErr(a.path, name, "member data is damaged: %v", err)
	}
	a.total += int64(size)
	return arr, nil
}

// NPZWriter writes an .npz archive atomically: nothing appears at the path until Commit.
type NPZWriter struct {
	f     *atomicfile.File
	bw    *bufio.Writer
	zw    *zip.Writer
	names map[string]bool
	err   error
	how   uint16 // zip.Store or zip.Deflate
}

// CreateNPZ starts writing an .npz archive at path with members stored uncompressed, as
// numpy.savez does.
func CreateNPZ(path string) (*NPZWriter, error) { return createNPZ(path, zip.Store) }

// CreateCompressedNPZ starts writing an .npz archive at path with deflated members, as
// numpy.savez_compressed does.
func CreateCompressedNPZ(path string) (*NPZWriter, error) { return createNPZ(path, zip.Deflate) }

func createNPZ(path string, method uint16) (*NPZWriter, error) {
	f, err := atomicfile.Create(path)
	if err != nil {
		return nil, err
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	return &NPZWriter{f: f, bw: bw, zw: zip.NewWriter(bw), names: map[string]bool{}, how: method}, nil
}

// Add writes one array as member name+".npy" (numpy.savez's layout, read back by numpy.load as
// name). data is any slice Write accepts, its length the product of shape.
func (w *NPZWriter) Add(name string, data any, shape ...int) error {
	if w.err != nil {
		return w.err
	}
	if name == "" || w.names[name] || strings.ContainsAny(name, "/\\") {
		w.err = fmt.Errorf("%s: array name %q is empty, repeated or contains a slash", w.f.Name(), name)
		return w.err
	}
	w.names[name] = true
	mw, err := w.zw.CreateHeader(&zip.FileHeader{Name: name + ".npy", Method: w.how})
	if err == nil {
		err = Write(mw, data, shape...)
	}
	if err != nil {
		w.err = fmt.Errorf("%s: array %q: %w", w.f.Name(), name, err)
	}
	return w.err
}

// Commit finishes the archive and moves it into place.
func (w *NPZWriter) Commit() error {
	if w.err != nil {
		w.f.Abort()
		return w.err
	}
	if err := w.zw.Close(); err != nil {
		w.f.Abort()
		return err
	}
	if err := w.bw.Flush(); err != nil {
		w.f.Abort()
		return err
	}
	return w.f.Commit()
}

// Abort drops the archive; an existing file at the path is left as it was.
func (w *NPZWriter) Abort() { w.f.Abort() }

// WriteFile writes one .npy file atomically.
func WriteFile(path string, data any, shape ...int) error {
	return atomicfile.Write(path, func(out io.Writer) error {
		bw := bufio.NewWriterSize(out, 1<<16)
		if err := Write(bw, data, shape...); err != nil {
			return err
		}
		return bw.Flush()
	})
}

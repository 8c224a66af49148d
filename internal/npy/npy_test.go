package npy

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// rawNPY builds an .npy stream with the given version, dict and data bytes, padding like NumPy.
func rawNPY(major byte, dict string, data []byte) []byte {
	prefix := 10
	if major > 1 {
		prefix = 12
	}
	pad := (64 - (prefix+len(dict)+1)%64) % 64
	hdr := dict + strings.Repeat(" ", pad) + "\n"
	out := append([]byte("\x93NUMPY"), major, 0)
	if major == 1 {
		out = binary.LittleEndian.AppendUint16(out, uint16(len(hdr)))
	} else {
		out = binary.LittleEndian.AppendUint32(out, uint32(len(hdr)))
	}
	return append(append(out, hdr...), data...)
}

func f8bytes(v ...float64) []byte {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
	}
	return b
}

func TestRoundTripAllTypes(t *testing.T) {
	cases := []struct {
		data  any
		shape []int
		want  []float64
	}{
		{[]float64{1.5, -2, math.MaxFloat64}, []int{3}, []float64{1.5, -2, math.MaxFloat64}},
		{[]float32{1.5, -2, 0, 4}, []int{2, 2}, []float64{1.5, -2, 0, 4}},
		{[]int64{-1 << 40, 7}, []int{2, 1}, []float64{-1 << 40, 7}},
		{[]int32{-5, 6}, nil, []float64{-5, 6}},
		{[]int16{-300, 300}, nil, []float64{-300, 300}},
		{[]int8{-128, 127}, nil, []float64{-128, 127}},
		{[]uint64{0, 1 << 53}, nil, []float64{0, 1 << 53}},
		{[]uint32{math.MaxUint32, 3}, nil, []float64{math.MaxUint32, 3}},
		{[]uint16{math.MaxUint16, 0, 1}, []int{3, 1}, []float64{math.MaxUint16, 0, 1}},
		{[]uint8{0, 255, 9}, []int{1, 3}, []float64{0, 255, 9}},
		{[]bool{true, false}, nil, []float64{1, 0}},
		{[]float64{}, []int{0, 5}, []float64{}},
		{[]float64{42}, []int{}, []float64{42}},
	}
	dir := t.TempDir()
	w, err := CreateNPZ(filepath.Join(dir, "all.npz"))
	if err != nil {
		t.Fatal(err)
	}
	for i, tc := range cases {
		name := "a" + string(rune('0'+i))
		var buf bytes.Buffer
		if err := Write(&buf, tc.data, tc.shape...); err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if len(headerBytes("<f8", tc.shape))%64 != 0 {
			t.Fatal("header not padded to 64")
		}
		a, err := ReadFrom(bytes.NewReader(buf.Bytes()), int64(buf.Len()), Limits{}, "mem", name)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		wantShape := tc.shape
		if wantShape == nil {
			wantShape = []int{len(tc.want)}
		}
		if !reflect.DeepEqual(a.Shape, wantShape) || !reflect.DeepEqual(a.Float64s(), tc.want) {
			t.Errorf("case %d: shape %v values %v, want %v %v", i, a.Shape, a.Float64s(), wantShape, tc.want)
		}
		if err := w.Add(name, tc.data, tc.shape...); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	ar, err := OpenNPZ(filepath.Join(dir, "all.npz"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer ar.Close()
	for i, tc := range cases {
		a, err := ar.Read("a" + string(rune('0'+i)))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a.Float64s(), tc.want) {
			t.Errorf("npz case %d: %v, want %v", i, a.Float64s(), tc.want)
		}
	}
}

func TestVersionsAndByteOrder(t *testing.T) {
	for _, major := range []byte{1, 2, 3} {
		b := rawNPY(major, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", f8bytes(1, 2))
		a, err := ReadFrom(bytes.NewReader(b), int64(len(b)), Limits{}, "v", "")
		if err != nil || !reflect.DeepEqual(a.Float64s(), []float64{1, 2}) {
			t.Errorf("version %d: %v %v", major, a, err)
		}
	}
	m7 := int32(-7)
	be := binary.BigEndian.AppendUint32(nil, uint32(m7))
	b := rawNPY(1, "{'shape': (1,), 'fortran_order': True, 'descr': '>i4'}", be)
	a, err := ReadFrom(bytes.NewReader(b), int64(len(b)), Limits{}, "be", "")
	if err != nil || a.At(0) != -7 {
		t.Errorf("big-endian 1-D Fortran: %v %v", a, err)
	}
}

// The hostile cases of issue 10 and more: each must be an error of the stated class, never a panic
// or an allocation sized by the claim.
func TestHostileHeaders(t *testing.T) {
	cases := []struct {
		name    string
		in      []byte
		want    error
		wantMsg string
	}{
		{"issue: 10-byte \\x93NUMPY\\x01000", []byte("\x93NUMPY\x01000"), ErrFormat, "runs past the end"},
		{"empty", nil, ErrFormat, "too short"},
		{"no magic", []byte("PK\x03\x04 this is a zip, not npy"), ErrFormat, "magic"},
		{"version 4", []byte("\x93NUMPY\x04\x00\x00\x00\x00\x00"), ErrFormat, "version 4.0"},
		{"issue: shape (-1, 32)", rawNPY(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (-1, 32), }", nil), ErrFormat, "not a non-negative integer"},
		{"issue: shape (100000, 1000000)", rawNPY(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 1000000), }", f8bytes(1)), ErrLimit, "MaxArrayBytes"},
		{"overflowing shape", rawNPY(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2147483647, 2147483647, 2147483647, 8), }", nil), ErrLimit, "more than 2^62"},
		{"axis over 2^31", rawNPY(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,), }", nil), ErrLimit, "too large"},
		{"too many dims", rawNPY(1, "{'descr': '<f8', 'fortran_order': False, 'shape': ("+strings.Repeat("1,", 40)+"), }", f8bytes(1)), ErrLimit, "MaxDims"},
		{"truncated data", rawNPY(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", f8bytes(1, 2)), ErrFormat, "needs 24 data bytes but 16"},
		{"trailing data", rawNPY(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", f8bytes(1, 2)), ErrFormat, "needs 8 data bytes but 16"},
		{"shape (N, 0) claiming data", rawNPY(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (4, 0), }", f8bytes(1)), ErrFormat, "needs 0 data bytes but 8"},
		{"object dtype", rawNPY(1, "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", f8bytes(1)), ErrFormat, "not a plain numeric dtype"},
		{"complex dtype", rawNPY(1, "{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", f8bytes(1, 1)), ErrFormat, "not a plain numeric"},
		{"float16", rawNPY(1, "{'descr': '<f2', 'fortran_order': False, 'shape': (1,), }", []byte{0, 0}), ErrFormat, "not supported"},
		{"structured dtype", rawNPY(1, "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }", f8bytes(1)), ErrFormat, "quoted string"},
		{"fortran 2-D", rawNPY(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (1, 1), }", f8bytes(1)), ErrFormat, "Fortran"},
		{"missing shape", rawNPY(1, "{'descr': '<f8', 'fortran_order': False, }", f8bytes(1)), ErrFormat, "\"shape\" missing"},
		{"repeated key", rawNPY(1, "{'descr': '<f8', 'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", f8bytes(1)), ErrFormat, "repeated"},
		{"unknown key", rawNPY(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1}", f8bytes(1)), ErrFormat, "unexpected key"},
		{"unterminated", rawNPY(1, "{'descr: '<f8", f8bytes(1)), ErrFormat, "no ':'"},
		{"unterminated string", rawNPY(1, "{'descr", f8bytes(1)), ErrFormat, "unterminated"},
		{"fortran not bool", rawNPY(1, "{'descr': '<f8', 'fortran_order': 0, 'shape': (1,), }", f8bytes(1)), ErrFormat, "True or False"},
		{"huge v2 header length", append([]byte("\x93NUMPY\x02\x00"), 0xff, 0xff, 0xff, 0x7f, '{'), ErrLimit, "MaxHeaderBytes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadFrom(bytes.NewReader(tc.in), int64(len(tc.in)), Limits{}, "bad.npy", "x")
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.wantMsg) || !strings.Contains(err.Error(), "bad.npy") {
				t.Fatalf("error %v, want %v containing %q and the file name", err, tc.want, tc.wantMsg)
			}
		})
	}
}

func TestReadFileChecksFileSize(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.npy")
	if err := WriteFile(p, []float32{1, 2, 3, 4, 5, 6}, 2, 3); err != nil {
		t.Fatal(err)
	}
	a, err := ReadFile(p, Limits{})
	if err != nil || !reflect.DeepEqual(a.Shape, []int{2, 3}) || a.Float32s()[5] != 6 {
		t.Fatalf("%v %v", a, err)
	}
	full, _ := os.ReadFile(p)
	os.WriteFile(p, full[:len(full)-1], 0o644)
	if _, err := ReadFile(p, Limits{}); !errors.Is(err, ErrFormat) {
		t.Fatalf("truncated file: %v", err)
	}
	if _, err := ReadFile(p, Limits{MaxArrayBytes: 8}); err == nil {
		t.Fatal("want a limit error")
	}
}

// rawMember adds a deflated member whose declared uncompressed size is declared, whatever the data.
func rawMember(t *testing.T, zw *zip.Writer, name string, data []byte, declared uint64) {
	t.Helper()
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestCompression)
	fw.Write(data)
	fw.Close()
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(data),
		CompressedSize64: uint64(comp.Len()), UncompressedSize64: declared})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(comp.Bytes())
}

// TestZipBombs: a member that honestly declares gigabytes is refused before inflating; one that
// lies (declares a small array, inflates to 64 MiB) is refused after reading at most its declared
// size. Neither allocates more than a few MiB.
func TestZipBombs(t *testing.T) {
	dir := t.TempDir()
	small := rawNPY(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }", f8bytes(1, 2, 3, 4))
	big := make([]byte, 64<<20)
	copy(big, small)
	path := filepath.Join(dir, "bomb.npz")
	f, _ := os.Create(path)
	zw := zip.NewWriter(f)
	rawMember(t, zw, "honest.npy", small, 3_200_000_000)
	rawMember(t, zw, "liar.npy", big, uint64(len(small)))
	rawMember(t, zw, "ok.npy", small, uint64(len(small)))
	zw.Close()
	f.Close()
	st, _ := os.Stat(path)
	if st.Size() > 1<<20 {
		t.Fatalf("bomb fixture is %d bytes", st.Size())
	}
	ar, err := OpenNPZ(path, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer ar.Close()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, errHonest := ar.Read("honest")
	_, errLiar := ar.Read("liar")
	runtime.ReadMemStats(&after)
	if !errors.Is(errHonest, ErrLimit) || !strings.Contains(errHonest.Error(), "honest") {
		t.Errorf("honest bomb: %v", errHonest)
	}
	if !errors.Is(errLiar, ErrFormat) || !strings.Contains(errLiar.Error(), "liar") {
		t.Errorf("lying bomb: %v", errLiar)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 8<<20 {
		t.Errorf("reading the bombs allocated %d bytes", grew)
	}
	if a, err := ar.Read("ok"); err != nil || a.At(3) != 4 {
		t.Errorf("intact member: %v", err)
	}
}

func TestArchiveLimitsAndNames(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.npz")
	w, _ := CreateNPZ(p)
	w.Add("x", []float64{1, 2})
	w.Add("y", []int64{1, 2})
	if err := w.Add("x", []float64{1}); err == nil {
		t.Fatal("repeated name accepted")
	}
	if err := w.Commit(); err == nil {
		t.Fatal("commit after a failed Add succeeded")
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Fatal("aborted archive left a file")
	}
	w, _ = CreateNPZ(p)
	w.Add("x", []float64{1, 2})
	w.Add("y", []int64{1, 2})
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	ar, err := OpenNPZ(p, Limits{MaxTotalBytes: 200})
	if err != nil {
		t.Fatal(err)
	}
	defer ar.Close()
	if !reflect.DeepEqual(ar.Names(), []string{"x", "y"}) || !ar.Has("x.npy") {
		t.Errorf("names %v", ar.Names())
	}
	if _, err := ar.Read("x"); err != nil {
		t.Fatal(err)
	}
	if _, err := ar.Read("y"); !errors.Is(err, ErrLimit) {
		t.Errorf("total limit: %v", err)
	}
	if _, err := ar.Read("z"); err == nil || !strings.Contains(err.Error(), "[x y]") {
		t.Errorf("missing member: %v", err)
	}
	if _, err := OpenNPZ(p, Limits{MaxMembers: 1}); !errors.Is(err, ErrLimit) {
		t.Errorf("member limit: %v", err)
	}
	h, err := ar.Header("x")
	if err != nil || h.Len() != 2 || h.Descr != "<f8" {
		t.Errorf("header %+v %v", h, err)
	}
}

func TestIntsRejectsNonIntegers(t *testing.T) {
	var buf bytes.Buffer
	Write(&buf, []float64{0, 1, 2.5})
	a, _ := ReadFrom(bytes.NewReader(buf.Bytes()), int64(buf.Len()), Limits{}, "f", "y")
	if _, err := a.Ints(0, 10, "f"); err == nil || !strings.Contains(err.Error(), "item 2 is 2.5") {
		t.Errorf("%v", err)
	}
	buf.Reset()
	Write(&buf, []float64{2e9})
	a, _ = ReadFrom(bytes.NewReader(buf.Bytes()), int64(buf.Len()), Limits{}, "f", "y")
	if _, err := a.Ints(0, 1<<20, "f"); err == nil {
		t.Error("2e9 accepted as a label below 2^20")
	}
}

// FuzzReadNPY: no input panics, and an accepted array holds exactly the bytes it claims.
func FuzzReadNPY(f *testing.F) {
	f.Add([]byte("\x93NUMPY\x01000"))
	f.Add(rawNPY(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (-1, 32), }", nil))
	f.Add(rawNPY(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 1000000), }", nil))
	f.Add(rawNPY(3, "{'descr': '>i2', 'fortran_order': False, 'shape': (2, 1), }", []byte{0, 1, 0, 2}))
	f.Add(rawNPY(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (4, 0), }", nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := ReadFrom(bytes.NewReader(b), int64(len(b)), Limits{MaxArrayBytes: 1 << 20}, "fuzz", "")
		if err != nil {
			return
		}
		if int64(len(a.Raw)) != a.DataBytes() || a.DataOffset+int64(len(a.Raw)) != int64(len(b)) {
			t.Fatalf("array of %d bytes for header %+v in %d bytes", len(a.Raw), a.Header, len(b))
		}
		_ = a.Float64s()
	})
}

// FuzzReadNPZ: arbitrary archives never panic.
func FuzzReadNPZ(f *testing.F) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("x.npy")
	Write(w, []float64{1, 2, 3})
	zw.Close()
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(dir, "f.npz")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		ar, err := OpenNPZ(p, Limits{MaxArrayBytes: 1 << 20, MaxTotalBytes: 4 << 20})
		if err != nil {
			return
		}
		defer ar.Close()
		for _, n := range ar.Names() {
			ar.Read(n)
		}
	})
}

// TestValuesExactTypes: Values returns the written slice unchanged for every writable type, reads
// big-endian data, and refuses a dtype other than the requested one.
func TestValuesExactTypes(t *testing.T) {
	check := func(name string, got, want any, err error) {
		t.Helper()
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %v (%v), want %v", name, got, err, want)
		}
	}
	read := func(data any) *Array {
		t.Helper()
		var buf bytes.Buffer
		if err := Write(&buf, data); err != nil {
			t.Fatal(err)
		}
		a, err := ReadFrom(bytes.NewReader(buf.Bytes()), int64(buf.Len()), Limits{}, "mem", "x")
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	f8 := []float64{1.5, math.Inf(-1)}
	f4 := []float32{-0.25, 3}
	i8 := []int64{math.MinInt64, math.MaxInt64}
	i4 := []int32{math.MinInt32, 1}
	i2 := []int16{-300, math.MaxInt16}
	i1 := []int8{-128, 127}
	u8 := []uint64{math.MaxUint64, 0}
	u4 := []uint32{math.MaxUint32, 2}
	u2 := []uint16{math.MaxUint16, 7}
	u1 := []uint8{255, 0}
	b1 := []bool{true, false}
	v1, e1 := Values[float64](read(f8), "f")
	check("f8", v1, f8, e1)
	v2, e2 := Values[float32](read(f4), "f")
	check("f4", v2, f4, e2)
	v3, e3 := Values[int64](read(i8), "f")
	check("i8", v3, i8, e3)
	v4, e4 := Values[int32](read(i4), "f")
	check("i4", v4, i4, e4)
	v5, e5 := Values[int16](read(i2), "f")
	check("i2", v5, i2, e5)
	v6, e6 := Values[int8](read(i1), "f")
	check("i1", v6, i1, e6)
	v7, e7 := Values[uint64](read(u8), "f")
	check("u8", v7, u8, e7)
	v8, e8 := Values[uint32](read(u4), "f")
	check("u4", v8, u4, e8)
	v9, e9 := Values[uint16](read(u2), "f")
	check("u2", v9, u2, e9)
	v10, e10 := Values[uint8](read(u1), "f")
	check("u1", v10, u1, e10)
	v11, e11 := Values[bool](read(b1), "f")
	check("b1", v11, b1, e11)

	be := binary.BigEndian.AppendUint16(nil, 0x0102)
	b := rawNPY(1, "{'descr': '>u2', 'fortran_order': False, 'shape': (1,), }", be)
	a, err := ReadFrom(bytes.NewReader(b), int64(len(b)), Limits{}, "be", "x")
	if err != nil {
		t.Fatal(err)
	}
	vb, eb := Values[uint16](a, "be")
	check("big-endian u2", vb, []uint16{0x0102}, eb)

	for _, tc := range []struct {
		name string
		err  error
	}{
		{"int16 as uint16", func() error { _, err := Values[uint16](read(i2), "f.npz"); return err }()},
		{"int64 as int32", func() error { _, err := Values[int32](read(i8), "f.npz"); return err }()},
		{"float32 as float64", func() error { _, err := Values[float64](read(f4), "f.npz"); return err }()},
		{"uint8 as bool", func() error { _, err := Values[bool](read(u1), "f.npz"); return err }()},
	} {
		if !errors.Is(tc.err, ErrFormat) || !strings.Contains(tc.err.Error(), "f.npz") {
			t.Errorf("%s: error %v, want ErrFormat naming the file", tc.name, tc.err)
		}
	}
}

// TestCompressedNPZ: CreateCompressedNPZ deflates every member, CreateNPZ stores them, and both read
// back to the written values (a run of zeros must shrink under deflate).
func TestCompressedNPZ(t *testing.T) {
	dir := t.TempDir()
	zeros := make([]float64, 4096)
	zeros[7] = 3
	for _, tc := range []struct {
		create func(string) (*NPZWriter, error)
		method uint16
	}{{CreateNPZ, zip.Store}, {CreateCompressedNPZ, zip.Deflate}} {
		p := filepath.Join(dir, fmt.Sprintf("m%d.npz", tc.method))
		w, err := tc.create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Add("z", zeros); err != nil {
			t.Fatal(err)
		}
		if err := w.Add("u", []uint16{1, 65535}); err != nil {
			t.Fatal(err)
		}
		if err := w.Commit(); err != nil {
			t.Fatal(err)
		}
		zr, err := zip.OpenReader(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			if f.Method != tc.method {
				t.Errorf("method %d: member %s has method %d", tc.method, f.Name, f.Method)
			}
			if tc.method == zip.Deflate && f.Name == "z.npy" && f.CompressedSize64 >= f.UncompressedSize64/10 {
				t.Errorf("deflated zeros: %d of %d bytes", f.CompressedSize64, f.UncompressedSize64)
			}
		}
		zr.Close()
		ar, err := OpenNPZ(p, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		z, err := ar.Read("z")
		if err != nil || !reflect.DeepEqual(z.Float64s(), zeros) {
			t.Errorf("method %d: z read back wrong (%v)", tc.method, err)
		}
		u, err := ar.Read("u")
		if err != nil {
			t.Fatal(err)
		}
		if v, err := Values[uint16](u, p); err != nil || !reflect.DeepEqual(v, []uint16{1, 65535}) {
			t.Errorf("method %d: u = %v (%v)", tc.method, v, err)
		}
		ar.Close()
	}
}

// numpyGolden holds members written by numpy.save (through numpy.savez_compressed) in the shared
// reference folder beside the repository.
const numpyGolden = "../../../shared/reference/gasf_golden.npz"

// TestHeaderMatchesNumPy: for every member of a file NumPy wrote (f8, f4, i8, u1; 1-D and 2-D), the
// header Write produces for the same dtype and shape equals NumPy's bytes exactly.
func TestHeaderMatchesNumPy(t *testing.T) {
	zr, err := zip.OpenReader(numpyGolden)
	if err != nil {
		t.Skipf("NumPy reference %s absent (%v): it lives in the shared reference folder", numpyGolden, err)
	}
	defer zr.Close()
	seen := map[string]bool{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		numpy := make([]byte, 1<<12)
		n, _ := io.ReadFull(rc, numpy)
		rc.Close()
		h, err := ReadHeader(bytes.NewReader(numpy[:n]), int64(f.UncompressedSize64), Limits{}, numpyGolden, f.Name)
		if err != nil {
			t.Fatal(err)
		}
		got := headerBytes(h.Descr, h.Shape)
		if !bytes.Equal(got, numpy[:h.DataOffset]) {
			t.Errorf("%s (%s %v): header\n%q\nNumPy wrote\n%q", f.Name, h.Descr, h.Shape, got, numpy[:h.DataOffset])
		}
		seen[fmt.Sprintf("%s/%dd", h.Descr, len(h.Shape))] = true
	}
	if len(seen) < 4 {
		t.Errorf("only %v compared, want several dtypes and ranks", seen)
	}
	t.Logf("compared %d members, kinds %v", len(zr.File), seen)
}

// TestLongHeaderUsesVersion2: a header that does not fit version 1.0's 16-bit length is written as
// version 2.0, still aligned to 64, and reads back with limits large enough for it.
func TestLongHeaderUsesVersion2(t *testing.T) {
	shape := make([]int, 25000) // "1, " per axis: about 75000 header bytes
	for i := range shape {
		shape[i] = 1
	}
	var buf bytes.Buffer
	if err := Write(&buf, []float64{2.5}, shape...); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if b[6] != 2 || (buf.Len()-8)%64 != 0 {
		t.Fatalf("version %d, %d bytes: want version 2.0 with the data at a multiple of 64", b[6], buf.Len())
	}
	a, err := ReadFrom(bytes.NewReader(b), int64(len(b)), Limits{MaxHeaderBytes: 1 << 17, MaxDims: len(shape)}, "long", "")
	if err != nil || len(a.Shape) != len(shape) || a.At(0) != 2.5 {
		t.Fatalf("read back: %v", err)
	}
	if _, err := ReadFrom(bytes.NewReader(b), int64(len(b)), Limits{}, "long", ""); !errors.Is(err, ErrLimit) {
		t.Errorf("default limits: %v, want ErrLimit", err)
	}
}

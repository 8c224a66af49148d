package trafficio

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/internal/npy"
	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// The hostile inputs of issue 10 (and neighbours), one table row each: every row must give an error
// or a report entry containing the wanted text, never a panic, an out-of-memory or silent damage.

// npyBytes is a valid .npy stream of data with the given shape.
func npyBytes(t testing.TB, data any, shape ...int) []byte {
	var b bytes.Buffer
	if err := npy.Write(&b, data, shape...); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// rawNPYHeader is an .npy stream with a hand-written dict (any claim) and data.
func rawNPYHeader(dict string, data []byte) []byte {
	pad := (64 - (10+len(dict)+1)%64) % 64
	hdr := dict + strings.Repeat(" ", pad) + "\n"
	out := append([]byte("\x93NUMPY\x01\x00"), byte(len(hdr)), byte(len(hdr)>>8))
	return append(append(out, hdr...), data...)
}

// zipOf writes members (name -> bytes) stored uncompressed.
func zipOf(t testing.TB, path string, members map[string][]byte) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, name := range sortedNames(members) {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(members[name])
	}
	zw.Close()
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func sortedNames(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// zipBomb is a ~1.6 MB archive whose member "x.npy" declares and inflates to 1.6 GB of zeros
// behind a valid header claiming that size.
func zipBomb(t testing.TB, path string) {
	const n = 1_600_000_000 / 8
	hdr := rawNPYHeader(fmt.Sprintf("{'descr': '<f8', 'fortran_order': False, 'shape': (%d,), }", n), nil)
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestCompression)
	fw.Write(hdr)
	zeros := make([]byte, 1<<20)
	crc := crc32.Update(0, crc32.IEEETable, hdr)
	for range 16 { // 16 MiB of real zeros, then declare more: the reader must stop on the claim
		fw.Write(zeros)
		crc = crc32.Update(crc, crc32.IEEETable, zeros)
	}
	fw.Close()
	f, _ := os.Create(path)
	zw := zip.NewWriter(f)
	w, _ := zw.CreateRaw(&zip.FileHeader{Name: "x.npy", Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(comp.Len()), UncompressedSize64: uint64(len(hdr)) + n*8})
	w.Write(comp.Bytes())
	w2, _ := zw.Create("y.npy")
	w2.Write(npyBytes(t, []int64{0}))
	zw.Close()
	f.Close()
}

func TestHostileNumPy(t *testing.T) {
	x := npyBytes(t, []float64{1, 2, 3, 4, 5, 6}, 3, 2)
	y := npyBytes(t, []int64{0, 1, 0})
	cases := []struct {
		name             string
		x, y             []byte
		opt              ArrayOptions
		wantErr, wantRep string
		wantClasses      int
	}{
		{"control", x, y, ArrayOptions{}, "", "", 2},
		{"issue: 10-byte NPY \\x93NUMPY\\x01000", []byte("\x93NUMPY\x01000"), y, ArrayOptions{}, "runs past the end", "", 0},
		{"issue: shape (-1, 32)", rawNPYHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (-1, 32), }", nil), y, ArrayOptions{}, "not a non-negative integer", "", 0},
		{"issue: header (100000, 1000000)", rawNPYHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 1000000), }", nil), y, ArrayOptions{}, "MaxArrayBytes", "", 0},
		{"issue: label 2e9", x, npyBytes(t, []float64{0, 1, 2e9}), ArrayOptions{}, "over the limit of 65536 classes", "", 0},
		{"issue: labels {0,1,9}", x, npyBytes(t, []int64{0, 1, 9}), ArrayOptions{}, "", "label values {0, 1, 9} are not 0..2", 3},
		{"issue: shape (N, 0)", npyBytes(t, []float64{}, 3, 0), y, ArrayOptions{}, "series of length 0", "", 0},
		{"Inf value", npyBytes(t, []float64{1, math.Inf(1), 3, 4, 5, 6}, 3, 2), y, ArrayOptions{}, "", "value 1 is +Inf: row skipped", 2},
		{"NaN label", x, npyBytes(t, []float64{0, math.NaN(), 1}), ArrayOptions{}, "not a class index", "", 0},
		{"label 2.5", x, npyBytes(t, []float64{0, 2.5, 1}), ArrayOptions{}, "not a class index", "", 0},
		{"negative label", x, npyBytes(t, []int64{0, -3, 1}), ArrayOptions{}, "", "label -3 outside", 2},
		{"label outside given classes", x, npyBytes(t, []int64{0, 5, 1}), ArrayOptions{Classes: []string{"a", "b"}}, "", "label 5 outside the 2 classes", 2},
		{"labels count mismatch", x, npyBytes(t, []int64{0, 1}), ArrayOptions{}, "labels have shape [2] but there are 3 series", "", 0},
		{"one-hot width 0", x, npyBytes(t, []float64{}, 3, 0), ArrayOptions{}, "one-hot rows of width 0", "", 0},
		{"truncated data", x[:len(x)-3], y, ArrayOptions{}, "truncated or inconsistent", "", 0},
		{"object dtype", rawNPYHeader("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", make([]byte, 8)), y, ArrayOptions{}, "not a plain numeric dtype", "", 0},
		{"limit lowered", x, y, ArrayOptions{MaxArrayBytes: 16}, "MaxArrayBytes 16", "", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			xp, yp := filepath.Join(dir, "x.npy"), filepath.Join(dir, "y.npy")
			os.WriteFile(xp, tc.x, 0o644)
			os.WriteFile(yp, tc.y, 0o644)
			ds, rep, err := ReadNPY(xp, yp, tc.opt)
			checkOutcome(t, err, rep, tc.wantErr, tc.wantRep)
			if err != nil && !strings.Contains(err.Error(), dir) {
				t.Errorf("error %q does not name the file", err)
			}
			if err == nil && len(ds.Classes) != tc.wantClasses {
				t.Errorf("%d classes %v, want %d", len(ds.Classes), ds.Classes, tc.wantClasses)
			}
			// The same arrays in an .npz behave the same.
			zp := filepath.Join(dir, "a.npz")
			zipOf(t, zp, map[string][]byte{"x.npy": tc.x, "y.npy": tc.y})
			_, rep2, err2 := ReadNPZ(zp, tc.opt)
			checkOutcome(t, err2, rep2, tc.wantErr, tc.wantRep)
		})
	}
}

func TestHostileNPZArchives(t *testing.T) {
	dir := t.TempDir()
	bomb := filepath.Join(dir, "bomb.npz")
	zipBomb(t, bomb)
	if st, _ := os.Stat(bomb); st.Size() > 2<<20 {
		t.Fatalf("bomb is %d bytes", st.Size())
	}
	_, _, err := ReadNPZ(bomb, ArrayOptions{})
	if err == nil || !strings.Contains(err.Error(), `array "x"`) || !strings.Contains(err.Error(), "MaxArrayBytes") {
		t.Errorf("issue: zip bomb: %v", err)
	}
	// Raising the limit lets the claim through, and the read stops where the data ends.
	_, _, err = ReadNPZ(bomb, ArrayOptions{MaxArrayBytes: 2e9})
	if err == nil {
		t.Errorf("zip bomb with a raised limit: no error")
	}
	garbage := filepath.Join(dir, "g.npz")
	os.WriteFile(garbage, []byte("PK\x03\x04garbage"), 0o644)
	if _, _, err := ReadNPZ(garbage, ArrayOptions{}); err == nil || !strings.Contains(err.Error(), "g.npz") {
		t.Errorf("garbage archive: %v", err)
	}
	if _, err := ReadNPZClasses(garbage); err == nil {
		t.Error("classes of garbage: no error")
	}
}

func dgArchive(t *testing.T, path string, feat, attr, flag []byte) {
	zipOf(t, path, map[string][]byte{"data_feature.npy": feat, "data_attribute.npy": attr, "data_gen_flag.npy": flag})
}

func TestHostileDoppelGANger(t *testing.T) {
	feat := npyBytes(t, []float64{1, 2, 3, 4, 5, 6}, 3, 2, 1)
	attr := npyBytes(t, []float64{1, 0, 0, 1, 1, 0}, 3, 2)
	flag := npyBytes(t, []float64{1, 1, 1, 0, 0, 0}, 3, 2)
	cases := []struct {
		name             string
		feat, attr, flag []byte
		opt              DGOptions
		wantErr, wantRep string
	}{
		{"control", feat, attr, flag, DGOptions{}, "", "data_gen_flag is all zero"},
		{"issue: attribute (3, 1e11)", feat, rawNPYHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 100000000000), }", nil), flag, DGOptions{}, "too large", ""},
		{"attribute (3, 1e8) claim", feat, rawNPYHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 100000000), }", nil), flag, DGOptions{}, "MaxArrayBytes", ""},
		{"no attribute columns", feat, npyBytes(t, []float64{}, 3, 0), flag, DGOptions{}, "no features or attributes", ""},
		{"series of length 0", npyBytes(t, []float64{}, 3, 0, 1), attr, npyBytes(t, []float64{}, 3, 0), DGOptions{}, "series of length 0", ""},
		{"empty label block", feat, attr, flag, DGOptions{LabelFrom: 1, LabelTo: 1}, "label columns [1,1)", ""},
		{"feature column outside", feat, attr, flag, DGOptions{Feature: 3}, "feature column 3 outside", ""},
		{"inconsistent shapes", feat, npyBytes(t, []float64{1, 0}, 1, 2), flag, DGOptions{}, "inconsistent shapes", ""},
		{"Inf step", npyBytes(t, []float64{1, math.Inf(-1), 3, 4, 5, 6}, 3, 2, 1), attr, flag, DGOptions{}, "", "step 1 is not a finite number"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "dg.npz")
			dgArchive(t, p, tc.feat, tc.attr, tc.flag)
			_, rep, err := ReadDoppelGANger(p, tc.opt)
			checkOutcome(t, err, rep, tc.wantErr, tc.wantRep)
		})
	}
}

// pickle builders: protocol 2 opcodes, by hand, as numpy writes them.
func pkString(s string) string { return "U" + string(rune(len(s))) + s } // SHORT_BINSTRING, len < 128
func pkInt(n int) string       { return "J" + string(binary.LittleEndian.AppendUint32(nil, uint32(n))) }
func pkDtype(kind string) string {
	return "cnumpy\ndtype\n" + pkString(kind) + "K\x00K\x01\x87R" + "(K\x03" + pkString("<") + "NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tb"
}
func pkArray(shape []int, kind string, data []byte) string {
	s := "\x80\x02cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\nK\x00\x85" + pkString("b") + "\x87R"
	s += "(K\x01("
	for _, d := range shape {
		s += pkInt(d)
	}
	s += "t" + pkDtype(kind) + "\x89" + "T" + string(binary.LittleEndian.AppendUint32(nil, uint32(len(data)))) + string(data) + "tb."
	return s
}

func f8(v ...float64) []byte {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
	}
	return b
}

func TestHostilePickles(t *testing.T) {
	x := pkArray([]int{2, 2}, "f8", f8(1, -1, -1, 1))
	y := pkArray([]int{2}, "i8", []byte("\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00"))
	cases := []struct {
		name, x, y       string
		wantErr, wantRep string
	}{
		{"control", x, y, "", ""},
		{"issue: one byte \\xff", "\xff", y, "unknown pickle opcode 0xff", ""},
		{"issue: _reconstruct without BUILD", "\x80\x02cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\nK\x00\x85" + pkString("b") + "\x87R.", y, "without BUILD", ""},
		{"issue: shape disagrees with data", pkArray([]int{3, 2}, "f8", f8(1, 2)), y, "needs 48", ""},
		{"shape product overflow", pkArray([]int{1 << 30, 1 << 30, 1 << 30}, "f8", f8(1)), y, "claims more than", ""},
		{"negative shape", pkArray([]int{-1, 2}, "f8", f8(1, 2)), y, "negative dimension", ""},
		{"BINBYTES claiming 4 GB", "\x80\x03B\xff\xff\xff\xff.", y, "claims 4294967295 bytes", ""},
		{"FRAME claiming 2^60", "\x80\x04\x95" + string(binary.LittleEndian.AppendUint64(nil, 1<<60)) + ".", y, "claims", ""},
		{"no STOP", "\x80\x02K\x01", y, "no STOP", ""},
		{"empty file", "", y, "no STOP", ""},
		{"unknown class", "\x80\x02cos\nsystem\n.", y, "does not know", ""},
		{"issue: label 2e9", x, pkArray([]int{2}, "i8", append(binary.LittleEndian.AppendUint64(nil, 0), binary.LittleEndian.AppendUint64(nil, 2e9)...)), "over the limit", ""},
		{"labels {0, 9}", x, pkArray([]int{2}, "i8", append(binary.LittleEndian.AppendUint64(nil, 0), binary.LittleEndian.AppendUint64(nil, 9)...)), "", "label values {0, 9}"},
		{"Inf value", pkArray([]int{2, 2}, "f8", f8(1, math.Inf(1), -1, 1)), y, "", "value 1 is +Inf"},
		{"rows of length 0", pkArray([]int{2, 0}, "f8", nil), y, "rows of length 0", ""},
		{"count mismatch", x, pkArray([]int{1}, "i8", make([]byte, 8)), "has 2 traces but", ""},
		{"stack underflow in gopickle", "\x80\x02R.", y, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			xp, yp := filepath.Join(dir, "x.pkl"), filepath.Join(dir, "y.pkl")
			os.WriteFile(xp, []byte(tc.x), 0o644)
			os.WriteFile(yp, []byte(tc.y), 0o644)
			ds, rep, err := ReadDFPickles(xp, yp, DFOptions{Length: 2})
			if tc.name == "stack underflow in gopickle" { // any error naming the file, no panic
				if err == nil || !strings.Contains(err.Error(), "x.pkl") {
					t.Fatalf("error %v", err)
				}
				return
			}
			checkOutcome(t, err, rep, tc.wantErr, tc.wantRep)
			if tc.name == "control" && (len(ds.Traces) != 2 || !reflect.DeepEqual(ds.Traces[1].Values, []float64{-1, 1})) {
				t.Errorf("control pickle read as %+v", ds.Traces)
			}
		})
	}
}

const goodTrace = "time,size,direction\n0,100,1\n0.5,200,-1\n"

func TestHostileCSVFolder(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.csv")
	os.WriteFile(secret, []byte("SECRET-CONTENT,x\n"), 0o644)
	cases := []struct {
		name             string
		labels, trace    string
		link             bool
		wantErr, wantRep string
		wantTraces       int
	}{
		{"issue: ../../../../etc/passwd", "file,label\n../../../../etc/passwd,x\na.csv,y\n", goodTrace, false, "", "is not a path inside the folder", 1},
		{"absolute path", "file,label\n" + secret + ",x\na.csv,y\n", goodTrace, false, "", "is not a path inside the folder", 1},
		{"symlink out of the folder", "file,label\nlink.csv,x\na.csv,y\n", goodTrace, true, "", "resolves (through a symbolic link) outside", 1},
		{"issue: Inf time", "file,label\na.csv,y\n", goodTrace + "inf,5,1\n", false, "", "time \"inf\" is not a finite number", 1},
		{"issue: 1e308 time", "file,label\na.csv,y\n", goodTrace + "1e308,5,1\n", false, "", "time 1e+308 is not a finite number within", 1},
		{"issue: Inf size", "file,label\na.csv,y\n", goodTrace + "1,Inf,1\n", false, "", "size \"Inf\" is not a finite number", 1},
		{"1e400 size (overflows to Inf)", "file,label\na.csv,y\n", goodTrace + "1,1e400,1\n", false, "", "size \"1e400\" is not a finite number", 1},
		{"NaN time", "file,label\na.csv,y\n", goodTrace + "NaN,5,1\n", false, "", "time \"NaN\" is not a finite number", 1},
		{"negative size", "file,label\na.csv,y\n", goodTrace + "1,-5,1\n", false, "", "size -5 is negative", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"labels.csv": tc.labels, "a.csv": tc.trace})
			if tc.link {
				if err := os.Symlink(secret, filepath.Join(dir, "link.csv")); err != nil {
					t.Skip("no symbolic links here:", err)
				}
			}
			ds, rep, err := ReadCSVFolder(dir, FolderOptions{})
			checkOutcome(t, err, rep, tc.wantErr, tc.wantRep)
			if err == nil && len(ds.Traces) != tc.wantTraces {
				t.Errorf("%d traces, want %d", len(ds.Traces), tc.wantTraces)
			}
			all := fmt.Sprint(err, rep.Skipped)
			if strings.Contains(all, "SECRET") || strings.Contains(all, "root:") {
				t.Errorf("output shows content from outside the folder: %s", all)
			}
			for _, tr := range ds.Traces {
				for _, p := range tr.Packets {
					if msg := packetDomain(p.Time, p.Size); msg != "" {
						t.Errorf("kept packet %+v: %s", p, msg)
					}
				}
			}
		})
	}
	// Strict mode turns an escaping entry into an error naming the labels line.
	dir := writeFiles(t, map[string]string{"labels.csv": "file,label\n../x.csv,y\n"})
	if _, _, err := ReadCSVFolder(dir, FolderOptions{Options: Options{Strict: true}}); err == nil || !strings.Contains(err.Error(), "labels.csv:2") {
		t.Errorf("strict escaping entry: %v", err)
	}
	// The pcap folder reader confines its entries the same way.
	dir = writeFiles(t, map[string]string{"labels.csv": "file,label\n../../../../etc/passwd,x\n"})
	_, rep, err := ReadPcaps(dir, PcapOptions{Rule: DirectionRule{Otherwise: traffic.Up}})
	checkOutcome(t, err, rep, "", "is not a path inside the folder")
}

func TestHostileLongCSVNetShareWikiThroughput(t *testing.T) {
	head := "trace,label,time,size,direction\n"
	for _, tc := range []struct{ name, body, want string }{
		{"issue: Inf time", head + "a,x,inf,1,1\na,x,0,1,1\n", "time \"inf\" is not a finite number"},
		{"issue: 1e308 size", head + "a,x,0,1e308,1\na,x,0,1,1\n", "size 1e+308 is not a finite number within"},
	} {
		t.Run("long "+tc.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"t.csv": tc.body})
			_, rep, err := ReadLongCSV(filepath.Join(dir, "t.csv"), LongOptions{})
			checkOutcome(t, err, rep, "", tc.want)
		})
	}
	nsHead := "srcip,dstip,srcport,dstport,proto,time,pkt_len\n"
	for _, tc := range []struct{ name, body, want string }{
		{"issue: negative size", nsHead + "1.1.1.1,2.2.2.2,1,2,6,0,-60\n1.1.1.1,2.2.2.2,1,2,6,1,60\n", "size -60 is negative"},
		{"Inf time", nsHead + "1.1.1.1,2.2.2.2,1,2,6,inf,60\n1.1.1.1,2.2.2.2,1,2,6,1,60\n", "time \"inf\" is not a finite number"},
		{"1e308 time", nsHead + "1.1.1.1,2.2.2.2,1,2,6,1e308,60\n1.1.1.1,2.2.2.2,1,2,6,1,60\n", "not a finite number within"},
	} {
		t.Run("netshare "+tc.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"p.csv": tc.body})
			ds, rep, err := ReadNetSharePackets(filepath.Join(dir, "p.csv"), NetShareOptions{})
			checkOutcome(t, err, rep, "", tc.want)
			if err == nil && len(ds.Traces[0].Packets) != 1 {
				t.Errorf("kept %d packets, want the one valid", len(ds.Traces[0].Packets))
			}
		})
	}
	page := "A_en.wikipedia.org_desktop_spider"
	for _, tc := range []struct{ name, body, wantErr, wantRep string }{
		{"issue: negative value (long)", "Page,date,value\n" + page + ",2015-07-01,-5\n" + page + ",2015-07-02,3\n", "", "value -5 is outside [0"},
		{"Inf value (long)", "Page,date,value\n" + page + ",2015-07-01,inf\n" + page + ",2015-07-02,3\n", "", "not a finite number"},
		{"sparse pages over 100 years (long)", "Page,date,value\n" + page + ",2015-07-01,1\n" + page + ",2115-07-01,1\n" + strings.Repeat("B_en.wikipedia.org_desktop_spider,2015-07-01,1\n", 1) + manyPages(200), "would fill", ""},
		{"year 9999 (long)", "Page,date,value\n" + page + ",2015-07-01,1\n" + page + ",9999-07-02,3\n", "over MaxWikiDays", ""},
	} {
		t.Run("wiki "+tc.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"w.csv": tc.body})
			_, rep, err := ReadWikiLong(filepath.Join(dir, "w.csv"), WikiOptions{MissingAsZero: true})
			checkOutcome(t, err, rep, tc.wantErr, tc.wantRep)
		})
	}
	t.Run("wiki issue: negative value (wide)", func(t *testing.T) {
		dir := writeFiles(t, map[string]string{"w.csv": "Page,2015-07-01,2015-07-02\n" + page + ",-5,3\n"})
		ds, rep, err := ReadWikiWide(filepath.Join(dir, "w.csv"), WikiOptions{MissingAsZero: true})
		checkOutcome(t, err, rep, "", "1 values are not finite non-negative")
		if err == nil && ds.Traces[0].Values[0] != 0 {
			t.Errorf("negative value kept: %v", ds.Traces[0].Values)
		}
	})
	for _, tc := range []struct{ name, body, want string }{
		{"issue: time 1e9", "0 8\n1 8\n1e9 8\n2 8\n", "(MaxBins 4194304"},
		{"two lines spanning 4e6 s", "0 8\n1 8\n4000000 8\n5 8\n", "at most 4096 bins per line"},
		{"Inf time", "0 8\ninf 8\n2 8\n", "is not a time and a non-negative rate"},
		{"1e308 rate", "0 1e308\n1 8\n2 8\n", "is not a time and a non-negative rate"},
	} {
		t.Run("throughput "+tc.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"norway_bus_1": tc.body})
			ds, rep, err := ReadThroughput(dir, ThroughputOptions{})
			checkOutcome(t, err, rep, "", tc.want)
			if err == nil && len(ds.Traces[0].Values) > 10 {
				t.Errorf("trace of %d bins", len(ds.Traces[0].Values))
			}
		})
	}
}

// manyPages is n one-row pages, each a distinct series.
func manyPages(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "P%d_en.wikipedia.org_desktop_spider,2015-07-01,1\n", i)
	}
	return b.String()
}

func TestHostilePcap(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.pcap")
	writeTestPcap(t, good, 4)
	b, _ := os.ReadFile(good)
	huge := append([]byte(nil), b[:24]...)
	huge = append(huge, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x7f) // a record claiming 2 GiB
	rule := DirectionRule{Otherwise: traffic.Up}
	for _, tc := range []struct {
		name    string
		data    []byte
		wantErr string
		wantRep string
	}{
		{"truncated mid-packet", b[:len(b)-5], "", "capture ends early"},
		{"record claiming 2 GiB", huge, "", "capture ends early"},
		{"garbage", []byte("not a capture at all"), "not a readable pcap", ""},
		{"one byte", []byte{0xd4}, "not a readable pcap", ""},
		{"pcapng magic only", []byte{0x0a, 0x0d, 0x0d, 0x0a}, "not a readable pcap", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, "c.pcap")
			os.WriteFile(p, tc.data, 0o644)
			_, rep, err := ReadPcap(p, rule, traffic.Trace{ID: "c", Label: "x"})
			checkOutcome(t, err, rep, tc.wantErr, tc.wantRep)
		})
	}
}

// Writers: ids that used to collide, an id "labels", and out-of-domain values.
func TestHostileWriters(t *testing.T) {
	pk := []traffic.Packet{{Time: 0, Size: 10, Dir: traffic.Up}, {Time: 0.25, Size: 20, Dir: traffic.Down}}
	mk := func(ids ...string) *traffic.Dataset {
		var tr []traffic.Trace
		for i, id := range ids {
			tr = append(tr, traffic.Trace{ID: id, Label: "c" + fmt.Sprint(i%2), Group: "g", Packets: pk})
		}
		ds, err := traffic.NewDataset("w", tr, nil, traffic.PacketFeature(traffic.SignedSizes, 2))
		if err != nil {
			t.Fatal(err)
		}
		return ds
	}
	t.Run("issue: ids a/b, a_b and labels round-trip", func(t *testing.T) {
		ds := mk("a/b", "a_b", "labels", "labels.csv", "LABELS", "x", "x.csv", "..", ".hidden", "-x y%z", "ü", "%6Cabels")
		dir := filepath.Join(t.TempDir(), "out")
		if err := WriteCSVFolder(dir, ds); err != nil {
			t.Fatal(err)
		}
		got, rep, err := ReadCSVFolder(dir, FolderOptions{Feature: ds.Default})
		if err != nil || len(rep.Skipped) != 0 {
			t.Fatalf("%v %v", err, rep.Skipped)
		}
		sameTraces(t, "csv folder", ds, got)
		ents, _ := os.ReadDir(dir)
		if len(ents) != len(ds.Traces)+1 {
			t.Errorf("%d files for %d traces and the labels file", len(ents), len(ds.Traces))
		}
	})
	for _, ids := range [][]string{{"A", "a"}, {"a/b", "A/B"}} {
		t.Run(fmt.Sprintf("collision %q", ids), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			err := WriteCSVFolder(dir, mk(ids...))
			if err == nil || !strings.Contains(err.Error(), "both map to the file name") {
				t.Fatalf("error %v", err)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Error("a failed write left files")
			}
		})
	}
	for _, bad := range []traffic.Packet{{Time: math.Inf(1), Size: 1, Dir: 1}, {Time: 1e308, Size: 1, Dir: 1}, {Time: 0, Size: math.NaN(), Dir: 1}, {Time: 0, Size: -1, Dir: 1}} {
		t.Run(fmt.Sprintf("out of domain %v", bad), func(t *testing.T) {
			ds := mk("a")
			ds.Traces[0].Packets = []traffic.Packet{bad}
			p := filepath.Join(t.TempDir(), "l.csv")
			if err := WriteLongCSV(p, ds); err == nil || !strings.Contains(err.Error(), "nothing written") {
				t.Errorf("long csv: %v", err)
			}
			if _, err := os.Stat(p); !os.IsNotExist(err) {
				t.Error("file written")
			}
			if err := WriteCSVFolder(filepath.Join(t.TempDir(), "f"), ds); err == nil {
				t.Error("folder: no error")
			}
		})
	}
	for _, id := range []string{" ", " a", "b\t", ""} {
		t.Run(fmt.Sprintf("id %q that the readers would trim", id), func(t *testing.T) {
			ds := mk("ok")
			ds.Traces[0].ID = id
			if err := WriteCSVFolder(filepath.Join(t.TempDir(), "f"), ds); err == nil || !strings.Contains(err.Error(), "white space") {
				t.Errorf("folder: %v", err)
			}
			if err := WriteLongCSV(filepath.Join(t.TempDir(), "l.csv"), ds); err == nil {
				t.Error("long csv: no error")
			}
		})
	}
	t.Run("npz non-finite", func(t *testing.T) {
		tr := []traffic.Trace{{ID: "a", Label: "x", Values: []float64{1, math.NaN()}}}
		ds, _ := traffic.NewDataset("v", tr, nil, traffic.Feature{Kind: traffic.Values, Length: 2})
		p := filepath.Join(t.TempDir(), "x.npz")
		if err := WriteNPZ(p, ds, ds.Default); err == nil || !strings.Contains(err.Error(), "is NaN") {
			t.Errorf("error %v", err)
		}
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Error("file written")
		}
	})
	t.Run("atomic: a failed rewrite keeps the old file", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "l.csv")
		ds := mk("a")
		if err := WriteLongCSV(p, ds); err != nil {
			t.Fatal(err)
		}
		before, _ := os.ReadFile(p)
		ds.Traces[0].Packets = []traffic.Packet{{Time: math.Inf(1), Size: 1, Dir: 1}}
		WriteLongCSV(p, ds)
		after, _ := os.ReadFile(p)
		if !bytes.Equal(before, after) {
			t.Error("old file changed")
		}
	})
}

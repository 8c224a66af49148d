package trafficio

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// Fuzz targets, one per reader. The seed corpus (the hostile cases of issue 10 and a valid input
// each) runs as unit tests in `go test`; scripts/fuzz runs each target for longer. Invariants: no
// panic (the fuzzer reports one), and whatever a reader accepts is inside its domain.

// fuzzLimit keeps fuzzed claims small so a run explores instead of allocating.
const fuzzLimit = 1 << 20

func checkDataset(t *testing.T, ds *traffic.Dataset) {
	if ds == nil {
		return
	}
	for _, tr := range ds.Traces {
		if tr.Class < 0 || tr.Class >= len(ds.Classes) {
			t.Fatalf("trace %q has class %d of %d", tr.ID, tr.Class, len(ds.Classes))
		}
		for _, p := range tr.Packets {
			if msg := packetDomain(p.Time, p.Size); msg != "" {
				t.Fatalf("trace %q kept packet %+v: %s", tr.ID, p, msg)
			}
		}
		for _, v := range tr.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("trace %q kept value %v", tr.ID, v)
			}
		}
	}
}

func fuzzFile(t *testing.T, dir, name string, b []byte) string {
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func FuzzReadNPY(f *testing.F) {
	f.Add(npyBytes(f, []float64{1, 2, 3, 4}, 2, 2), npyBytes(f, []int64{0, 1}))
	f.Add([]byte("\x93NUMPY\x01000"), npyBytes(f, []int64{0, 1}))
	f.Add(rawNPYHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (-1, 32), }", nil), npyBytes(f, []int64{0}))
	f.Add(npyBytes(f, []float64{1, 2}, 2, 1), npyBytes(f, []float64{0, 2e9}))
	f.Add(npyBytes(f, []float64{}, 3, 0), npyBytes(f, []int64{0, 1, 9}))
	f.Fuzz(func(t *testing.T, x, y []byte) {
		dir := t.TempDir()
		ds, _, err := ReadNPY(fuzzFile(t, dir, "x.npy", x), fuzzFile(t, dir, "y.npy", y), ArrayOptions{MaxArrayBytes: fuzzLimit, MaxClasses: 1 << 10})
		if err == nil {
			checkDataset(t, ds)
		}
	})
}

func npzSeed(f *testing.F, members map[string][]byte) []byte {
	p := filepath.Join(f.TempDir(), "s.npz")
	zipOf(f, p, members)
	b, _ := os.ReadFile(p)
	return b
}

func FuzzReadNPZ(f *testing.F) {
	f.Add(npzSeed(f, map[string][]byte{"x.npy": npyBytes(f, []float64{1, 2, 3, 4}, 2, 2), "y.npy": npyBytes(f, []int64{0, 1})}))
	f.Add(npzSeed(f, map[string][]byte{"x.npy": []byte("\x93NUMPY\x01000"), "y.npy": npyBytes(f, []int64{0})}))
	f.Add([]byte("PK\x03\x04garbage"))
	f.Add(npzSeed(f, map[string][]byte{"x.npy": npyBytes(f, []float64{1, 2, 3, 4}, 2, 2), "y.npy": npyBytes(f, []float64{3, 0, 1, 1}, 2, 2)}))
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, _, err := ReadNPZ(fuzzFile(t, t.TempDir(), "a.npz", b), ArrayOptions{MaxArrayBytes: fuzzLimit, MaxClasses: 1 << 10})
		if err == nil {
			checkDataset(t, ds)
		}
	})
}

func FuzzReadDoppelGANger(f *testing.F) {
	feat := npyBytes(f, []float64{1, 2, 3, 4, 5, 6}, 3, 2, 1)
	attr := npyBytes(f, []float64{1, 0, 0, 1, 1, 0}, 3, 2)
	flag := npyBytes(f, []float64{1, 1, 1, 0, 0, 0}, 3, 2)
	f.Add(npzSeed(f, map[string][]byte{"data_feature.npy": feat, "data_attribute.npy": attr, "data_gen_flag.npy": flag}))
	f.Add(npzSeed(f, map[string][]byte{"data_feature.npy": feat, "data_attribute.npy": rawNPYHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 100000000000), }", nil), "data_gen_flag.npy": flag}))
	f.Add(npzSeed(f, map[string][]byte{"data_feature.npy": feat, "data_attribute.npy": npyBytes(f, []float64{}, 3, 0), "data_gen_flag.npy": flag}))
	notOneHot := npyBytes(f, []float64{0, 0, 1, 1, math.NaN(), 0}, 3, 2) // all zero, two ones, NaN
	f.Add(npzSeed(f, map[string][]byte{"data_feature.npy": feat, "data_attribute.npy": notOneHot, "data_gen_flag.npy": flag}))
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, _, err := ReadDoppelGANger(fuzzFile(t, t.TempDir(), "dg.npz", b), DGOptions{MaxArrayBytes: fuzzLimit})
		if err == nil {
			checkDataset(t, ds)
		}
	})
}

func FuzzReadDFPickles(f *testing.F) {
	x := pkArray([]int{2, 2}, "f8", f8(1, -1, -1, 1))
	y := pkArray([]int{2}, "i8", make([]byte, 16))
	f.Add([]byte(x), []byte(y))
	f.Add([]byte("\xff"), []byte(y))
	f.Add([]byte("\x80\x02"+strings.Repeat("]", 70_000)+strings.Repeat("a", 69_999)+"."), []byte(y)) // nested past pickleclaims.MaxDepth
	f.Add([]byte("\x80\x02]]]aa."), []byte(y))                                                       // nested lists, not numbers
	f.Add([]byte("\x80\x02cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\nK\x00\x85"+pkString("b")+"\x87R."), []byte(y))
	f.Add([]byte(pkArray([]int{3, 2}, "f8", f8(1, 2))), []byte(y))
	f.Add([]byte("\x80\x03B\xff\xff\xff\xff."), []byte(y))
	f.Add([]byte("\x80\x02]q\x00(]q\x01(K\x01K\x02e]q\x02(K\x03K\x04ee."), []byte("\x80\x02]q\x00(K\x00K\x01e."))
	f.Fuzz(func(t *testing.T, x, y []byte) {
		dir := t.TempDir()
		ds, _, err := ReadDFPickles(fuzzFile(t, dir, "x.pkl", x), fuzzFile(t, dir, "y.pkl", y), DFOptions{Length: 4, MaxClasses: 1 << 10})
		if err == nil {
			checkDataset(t, ds)
		}
	})
}

func FuzzReadCSVFolder(f *testing.F) {
	f.Add([]byte("file,label\na.csv,x\n"), []byte(goodTrace))
	f.Add([]byte("file,label\n../../../../etc/passwd,x\na.csv,y\n"), []byte(goodTrace))
	f.Add([]byte("file,label,group,trace\na.csv,x,g,a/b\n"), []byte(goodTrace+"inf,5,1\n1e308,1,1\n1,-5,1\n"))
	f.Add([]byte("file,label\na.csv,x\n"), []byte("time,size,direction\n0,\"1,1\n"))
	f.Add([]byte("file,label\na.csv,x\nb.csv,\"two\nlines\"\n"), []byte("time,size,size,direction\n0,1,2,1\n"))
	f.Fuzz(func(t *testing.T, labels, trace []byte) {
		dir := t.TempDir()
		fuzzFile(t, dir, "labels.csv", labels)
		fuzzFile(t, dir, "a.csv", trace)
		ds, _, err := ReadCSVFolder(dir, FolderOptions{})
		if err == nil {
			checkDataset(t, ds)
		}
	})
}

func FuzzReadLongCSV(f *testing.F) {
	head := "trace,label,time,size,direction,group\n"
	f.Add([]byte(head + "a,x,0,1,1,g\nb,y,0,2,-1,g\na,x,1,3,-1,g\n"))
	f.Add([]byte(head + "a,x,inf,1,1,g\na,x,0,1e308,1,g\n,x,1,1,1,g\n"))
	f.Add([]byte("\ufefftrace,label,time,size,direction\n\"a\nb\",x,0,1,1\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, _, err := ReadLongCSV(fuzzFile(t, t.TempDir(), "t.csv", b), LongOptions{})
		if err == nil {
			checkDataset(t, ds)
		}
	})
}

func FuzzReadPcap(f *testing.F) {
	p := filepath.Join(f.TempDir(), "a.pcap")
	writeTestPcap(f, p, 3)
	good, _ := os.ReadFile(p)
	f.Add(good)
	f.Add(good[:len(good)-5])
	f.Add(append(append([]byte(nil), good[:24]...), 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x7f))
	f.Add([]byte{0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1c, 0, 0, 0})
	rule := DirectionRule{Otherwise: traffic.Up}
	f.Fuzz(func(t *testing.T, b []byte) {
		tr, _, err := ReadPcap(fuzzFile(t, t.TempDir(), "c.pcap", b), rule, traffic.Trace{ID: "c", Label: "x"})
		if err == nil && tr != nil {
			for _, p := range tr.Packets {
				if msg := packetDomain(p.Time, p.Size); msg != "" {
					t.Fatalf("kept packet %+v: %s", p, msg)
				}
			}
		}
	})
}

func FuzzReadNetShare(f *testing.F) {
	h := "srcip,dstip,srcport,dstport,proto,time,pkt_len\n"
	f.Add([]byte(h + "1.1.1.1,2.2.2.2,1,2,6,0,60\n2.2.2.2,1.1.1.1,2,1,6,1,1500\n"))
	f.Add([]byte(h + "999.1.1.1,2.2.2.2,1,2,6,0,60\n1.1.1.1,2.2.2.2,70000,-1,6,1,60\n3232235777,::1,1.5,2,6,2,60\n"))
	f.Add([]byte(h + "1.1.1.1,2.2.2.2,1,2,6,0,-60\n1.1.1.1,2.2.2.2,1,2,6,inf,60\n"))
	f.Add([]byte("srcip,dstip,srcport,dstport,proto,ts,td,pkt,byt,type\n1.1.1.1,2.2.2.2,1,2,6,1e308,1,1,-5,dos\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p := fuzzFile(t, t.TempDir(), "n.csv", b)
		ds, _, err := ReadNetSharePackets(p, NetShareOptions{})
		if err == nil {
			checkDataset(t, ds)
		}
		ds, _, err = ReadNetShareFlows(p, NetShareOptions{LabelColumn: "type"})
		if err == nil {
			checkDataset(t, ds)
		}
	})
}

func FuzzReadWiki(f *testing.F) {
	page := "A_en.wikipedia.org_desktop_spider"
	f.Add([]byte("Page,date,value\n" + page + ",2015-07-01,1\n" + page + ",2015-07-02,-5\n"))
	f.Add([]byte("Page,date,value\n" + page + ",2015-07-01,1\n" + page + ",9999-07-02,inf\n"))
	f.Add([]byte("Page,2015-07-01,2015-07-02\n" + page + ",-5,3\n" + page + ",1e400,NaN\n"))
	f.Add([]byte("Page,2015-07-02,2015-07-01,2015-07-01,0001-01-01,day\n" + page + ",1,2,3,4,5\n"))
	f.Add([]byte("Page,date,value\n" + page + ",2015-07-01,1\n" + page + ",2015-07-01,2\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p := fuzzFile(t, t.TempDir(), "w.csv", b)
		for _, read := range []func(string, WikiOptions) (*traffic.Dataset, traffic.Report, error){ReadWikiLong, ReadWikiWide} {
			ds, _, err := read(p, WikiOptions{MissingAsZero: true})
			if err == nil {
				checkDataset(t, ds)
				for _, tr := range ds.Traces {
					for _, v := range tr.Values {
						if v < 0 {
							t.Fatalf("kept a negative page-view count %v", v)
						}
					}
				}
			}
		}
	})
}

func FuzzReadThroughput(f *testing.F) {
	f.Add([]byte("0 8\n1 8\n2 8\n"))
	f.Add([]byte("0 8\n1 8\n1e9 8\n2 8\n"))
	f.Add([]byte("0 1e308\ninf 8\n-1 8\n2 NaN\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		fuzzFile(t, dir, "norway_bus_1", b)
		ds, _, err := ReadThroughput(dir, ThroughputOptions{MaxBins: 1 << 16})
		if err == nil {
			checkDataset(t, ds)
			for _, tr := range ds.Traces {
				if len(tr.Values) > 1<<16+1 {
					t.Fatalf("trace of %d bins over MaxBins", len(tr.Values))
				}
			}
		}
	})
}

// FuzzWriteCSVFolder: any set of trace ids either fails before writing or reads back unchanged.
func FuzzWriteCSVFolder(f *testing.F) {
	f.Add("a/b", "a_b", "labels")
	f.Add("x", "x.csv", "%6Cabels")
	f.Add("A", "a", "..")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		pk := []traffic.Packet{{Time: 0, Size: 1, Dir: traffic.Up}}
		var trs []traffic.Trace
		seen := map[string]bool{}
		for _, id := range []string{a, b, c} {
			if seen[id] {
				return
			}
			seen[id] = true
			trs = append(trs, traffic.Trace{ID: id, Label: "l", Packets: pk})
		}
		ds, err := traffic.NewDataset("f", trs, nil, traffic.PacketFeature(traffic.Sizes, 1))
		if err != nil {
			return
		}
		dir := filepath.Join(t.TempDir(), "o")
		if err := WriteCSVFolder(dir, ds); err != nil {
			return
		}
		got, rep, err := ReadCSVFolder(dir, FolderOptions{Feature: ds.Default})
		if err != nil || len(rep.Skipped) != 0 || len(got.Traces) != len(trs) {
			t.Fatalf("ids %q: read back %v, %v", []string{a, b, c}, err, rep.Skipped)
		}
		for i := range trs {
			if got.Traces[i].ID != trs[i].ID {
				t.Fatalf("id %q read back as %q", trs[i].ID, got.Traces[i].ID)
			}
		}
	})
}

// checkSeries: whatever a series reader accepts is at least one non-empty series of finite values.
func checkSeries(t *testing.T, series [][]float64) {
	if len(series) == 0 {
		t.Fatal("accepted a file with no series")
	}
	for i, s := range series {
		if len(s) == 0 {
			t.Fatalf("series %d is empty", i)
		}
		for j, v := range s {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("series %d kept value %d = %v", i, j, v)
			}
		}
	}
}

func FuzzReadSeriesCSV(f *testing.F) {
	f.Add([]byte("1,2,3\n4,5\n"), uint8(0), false)
	f.Add([]byte("t,v\n0,1.5\n1,nan\n"), uint8(1), true)
	f.Add([]byte("# c\n1\n\n2\n  \n3\n"), uint8(2), false)
	f.Add([]byte("\"1\n2\",3\n1e999,2\n"), uint8(3), false)
	f.Fuzz(func(t *testing.T, b []byte, column uint8, header bool) {
		layouts := []SeriesLayout{SeriesAuto, SeriesRows, SeriesColumn, ""}
		opt := SeriesOptions{Layout: layouts[int(column)%len(layouts)], Column: int(column) % 4, Header: header, MaxValues: fuzzLimit}
		series, err := ReadSeriesCSV(fuzzFile(t, t.TempDir(), "s.csv", b), opt)
		if err == nil {
			checkSeries(t, series)
		}
	})
}

func FuzzReadSeriesNPY(f *testing.F) {
	f.Add(npyBytes(f, []float64{1, 2, 3, 4}, 2, 2))
	f.Add(npyBytes(f, []float32{1, float32(math.NaN())}, 2))
	f.Add(rawNPYHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (-1, 32), }", nil))
	f.Add(rawNPYHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }", make([]byte, 64)))
	f.Add(npyBytes(f, []float64{}, 3, 0))
	f.Fuzz(func(t *testing.T, b []byte) {
		series, err := ReadSeriesNPY(fuzzFile(t, t.TempDir(), "s.npy", b), SeriesOptions{MaxValues: fuzzLimit})
		if err == nil {
			checkSeries(t, series)
		}
	})
}

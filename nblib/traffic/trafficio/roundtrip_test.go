package trafficio

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

func sampleDataset(t *testing.T) *traffic.Dataset {
	traces := []traffic.Trace{
		{ID: "t1", Label: "b", Group: "g1", Packets: []traffic.Packet{{Time: 0, Size: 100, Dir: traffic.Up}, {Time: 0.125, Size: 1500, Dir: traffic.Down}, {Time: 0.3, Size: 52, Dir: traffic.Up}}},
		{ID: "t2", Label: "a", Group: "g2", Packets: []traffic.Packet{{Time: 10, Size: 60, Dir: traffic.Down}, {Time: 10.5, Size: 1400.5, Dir: traffic.Down}}},
	}
	ds, err := traffic.NewDataset("sample", traces, nil, traffic.PacketFeature(traffic.SignedSizes, 4))
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// Writers and readers are inverses on packets, labels and groups.
func TestRoundTrips(t *testing.T) {
	ds := sampleDataset(t)
	dir := t.TempDir()
	long := filepath.Join(dir, "long.csv")
	if err := WriteLongCSV(long, ds); err != nil {
		t.Fatal(err)
	}
	got, rep, err := ReadLongCSV(long, LongOptions{Feature: ds.Default})
	if err != nil || len(rep.Skipped) != 0 {
		t.Fatalf("long csv: %v %v", err, rep.Skipped)
	}
	sameTraces(t, "long csv", ds, got)

	folder := filepath.Join(dir, "folder")
	if err := WriteCSVFolder(folder, ds); err != nil {
		t.Fatal(err)
	}
	got, rep, err = ReadCSVFolder(folder, FolderOptions{Feature: ds.Default})
	if err != nil || len(rep.Skipped) != 0 {
		t.Fatalf("csv folder: %v %v", err, rep.Skipped)
	}
	for i := range got.Traces {
		got.Traces[i].ID = ds.Traces[i].ID // the folder writer appends ".csv"
	}
	sameTraces(t, "csv folder", ds, got)

	npzPath := filepath.Join(dir, "x.npz")
	if err := WriteNPZ(npzPath, ds, ds.Default); err != nil {
		t.Fatal(err)
	}
	classes, err := ReadNPZClasses(npzPath)
	if err != nil || !reflect.DeepEqual(classes, ds.Classes) {
		t.Fatalf("classes %v %v, want %v", classes, err, ds.Classes)
	}
	got, _, err = ReadNPZ(npzPath, ArrayOptions{Classes: classes})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := ds.Series(ds.Default)
	gotSeries, _ := got.Series(got.Default)
	if !reflect.DeepEqual(gotSeries, want) || !reflect.DeepEqual(got.Labels(), ds.Labels()) {
		t.Errorf("npz: series %v labels %v, want %v %v", gotSeries, got.Labels(), want, ds.Labels())
	}
}

func sameTraces(t *testing.T, what string, a, b *traffic.Dataset) {
	t.Helper()
	if !reflect.DeepEqual(a.Classes, b.Classes) || len(a.Traces) != len(b.Traces) {
		t.Fatalf("%s: classes %v / %v, %d / %d traces", what, a.Classes, b.Classes, len(a.Traces), len(b.Traces))
	}
	for i := range a.Traces {
		if !reflect.DeepEqual(a.Traces[i], b.Traces[i]) {
			t.Errorf("%s: trace %d = %+v, want %+v", what, i, b.Traces[i], a.Traces[i])
		}
	}
}

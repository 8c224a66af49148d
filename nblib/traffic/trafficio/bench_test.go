package trafficio

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

func dirBytes(b *testing.B, dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// BenchmarkLoadFeaturiseVCFP reads the 1000 vcfp-alexa CSV traces and
// computes the D3 feature (signed sizes, 300 packets). MB/s counts CSV
// bytes; traces/s is reported as a metric.
func BenchmarkLoadFeaturiseVCFP(b *testing.B) {
	dir := needShared(b, "vcfp-alexa")
	b.SetBytes(dirBytes(b, filepath.Join(dir, "trace_csv")))
	var n int
	for b.Loop() {
		ds, _, err := ReadCSVFolder(filepath.Join(dir, "trace_csv"), FolderOptions{Labels: filepath.Join(dir, "labels.csv")})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ds.Series(traffic.PacketFeature(traffic.SignedSizes, 300)); err != nil {
			b.Fatal(err)
		}
		n += len(ds.Traces)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "traces/s")
}

// BenchmarkLoadFeaturisePcap decodes the CAIDA sample capture and bins it
// into bytes per 0.25 s.
func BenchmarkLoadFeaturisePcap(b *testing.B) {
	path := filepath.Join(needShared(b, "netshare-samples"), "caida-small", "raw.pcap")
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	rule := DirectionRule{Otherwise: traffic.Up}
	var n int
	for b.Loop() {
		tr, _, err := ReadPcap(path, rule, traffic.Trace{ID: "c", Label: "c"})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := traffic.BinnedBytes(0.25, 180, 0).Of(tr); err != nil {
			b.Fatal(err)
		}
		n += len(tr.Packets)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "packets/s")
}

// BenchmarkLoadFeaturisePensieve reads 142 bandwidth logs into 1 s bins.
func BenchmarkLoadFeaturisePensieve(b *testing.B) {
	dir := needShared(b, "pensieve-bw/cooked_test_traces")
	b.SetBytes(dirBytes(b, dir))
	var n int
	for b.Loop() {
		ds, _, err := ReadThroughput(dir, ThroughputOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ds.Series(ds.Default); err != nil {
			b.Fatal(err)
		}
		n += len(ds.Traces)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "traces/s")
}

// BenchmarkLoadFeaturiseWiki reads the 10-page WWT sample (long form).
func BenchmarkLoadFeaturiseWiki(b *testing.B) {
	path := filepath.Join(needShared(b, "wwt-timetk-sample"), "wikipedia_traffic_daily.csv")
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	var n int
	for b.Loop() {
		ds, _, err := ReadWikiLong(path, WikiOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ds.Series(ds.Default); err != nil {
			b.Fatal(err)
		}
		n += len(ds.Traces)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "traces/s")
}

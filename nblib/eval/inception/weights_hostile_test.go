package inception

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Hostile weights files (issue 10): errors naming the file, never a panic or a claim-sized allocation.
func TestLoadWeightsHostile(t *testing.T) {
	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	w, _ := zw.CreateRaw(&zip.FileHeader{Name: "archive/data/0", Method: zip.Store, UncompressedSize64: 3 << 30, CompressedSize64: 4})
	w.Write([]byte("zero"))
	zw.Close()
	for _, tc := range []struct{ name, data, want string }{
		{"one byte \\xff", "\xff", "inception:"},
		{"empty", "", "inception:"},
		{"zip declaring 3 GiB", bomb.String(), "MaxWeightsBytes"},
		{"pickle of an int", "\x80\x02K\x01.", "no torch.save magic"},
		{"1024 zero bytes (an empty tar)", strings.Repeat("\x00", 1024), "no torch.save magic"},
		{"legacy magic then garbage", legacyMagic + "\xff\xff", "inception:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "w.pth")
			os.WriteFile(p, []byte(tc.data), 0o644)
			_, err := LoadWeights(p)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), p) {
				t.Fatalf("error %v, want one naming the file and containing %q", err, tc.want)
			}
		})
	}
}

// FuzzLoadWeights: arbitrary bytes never panic LoadWeights.
func FuzzLoadWeights(f *testing.F) {
	f.Add([]byte("\xff"))
	f.Add([]byte("\x80\x02}q\x00."))
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(dir, "w.pth")
		os.WriteFile(p, b, 0o644)
		LoadWeights(p)
	})
}

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
	f.Add(zipWeights(f, statePickle(two, false), twoFloats))
	f.Add(legacyWeights(statePickle(two, true), count2, twoFloats))
	f.Add(zipWeights(f, statePickle(two, false), nanFloats))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(dir, "w.pth")
		os.WriteFile(p, b, 0o644)
		LoadWeights(p)
	})
}

// statePickle is a protocol-2 pickle of torch's state_dict {"w": FloatStorage key "0" of size
// elements, as a 1-D tensor of 2}, laid out as torch.save writes it; legacy adds the view-metadata
// field (None) that the pre-1.6 format puts in each storage id.
func statePickle(size string, legacy bool) string {
	id := "(X\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x000X\x03\x00\x00\x00cpu" + size
	if legacy {
		id += "N"
	}
	return "\x80\x02ccollections\nOrderedDict\n)RX\x01\x00\x00\x00w" +
		"ctorch._utils\n_rebuild_tensor_v2\n(" + id + "tQK\x00K\x02\x85K\x01\x85\x89ccollections\nOrderedDict\n)RtRs."
}

// nanFloats is 1.0 and a float32 NaN.
const nanFloats = "\x00\x00\x80\x3f\x00\x00\xc0\x7f"

// twoFloats is the storage data of statePickle: 1.0 and 2.0, little-endian float32.
const twoFloats = "\x00\x00\x80\x3f\x00\x00\x00\x40"

// zipWeights is a zip-format .pth holding data.pkl and one storage member, uncompressed as torch.save
// writes them.
func zipWeights(t testing.TB, pkl, storage string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, m := range [][2]string{{"archive/data.pkl", pkl}, {"archive/data/0", storage}} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: m[0], Method: zip.Store}) // torch.save stores, never deflates
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(m[1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// legacyWeights is a legacy (PyTorch < 1.6) .pth: magic, protocol and system-info pickles, the object
// pickle, the storage keys ["0"], then the storage as an element count and its data.
func legacyWeights(pkl, count, storage string) []byte {
	return []byte(legacyMagic + "." + "\x80\x02M\xe9\x03." + "\x80\x02}." + pkl +
		"\x80\x02]X\x01\x00\x00\x000a." + count + storage)
}

const (
	two         = "K\x02"                            // BININT1 2
	twoTo40     = "\x8a\x06\x00\x00\x00\x00\x00\x01" // LONG1 2^40
	count2      = "\x02\x00\x00\x00\x00\x00\x00\x00"
	count2To40  = "\x00\x00\x00\x00\x00\x01\x00\x00"
	bytes8Claim = "\x80\x02\x8e\x00\x00\x00\x00\x00\x00\x00\x40." // BINBYTES8 of 2^62 bytes
	frameClaim  = "\x80\x04\x95\x00\x00\x00\x00\x00\x00\x00\x40." // FRAME of 2^62 bytes
)

// Claims that gopickle would allocate before reading (a tensor storage's element count, an opcode's
// length, a frame's size) are checked against the file's real bytes first: a terabyte claim in a few
// bytes is an error naming the file, not a process killed for memory. The well-formed files of both
// formats load, so the check refuses nothing that gopickle reads correctly.
func TestLoadWeightsClaims(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		want string // "" loads
	}{
		{"zip, well formed", zipWeights(t, statePickle(two, false), twoFloats), ""},
		{"legacy, well formed", legacyWeights(statePickle(two, true), count2, twoFloats), ""},
		{"zip, storage claims 2^40 elements", zipWeights(t, statePickle(twoTo40, false), twoFloats), "claims 1099511627776 elements"},
		{"zip, storage member missing", zipWeights(t, strings.Replace(statePickle(two, false), "X\x01\x00\x00\x000X", "X\x01\x00\x00\x001X", 1), twoFloats), "archive lacks"},
		{"zip, data.pkl BINBYTES8 claims 2^62 bytes", zipWeights(t, bytes8Claim, ""), "claims 4611686018427387904 bytes"},
		{"zip, data.pkl FRAME claims 2^62 bytes", zipWeights(t, frameClaim, ""), "claims 4611686018427387904 bytes"},
		{"zip, data.pkl without STOP", zipWeights(t, strings.TrimSuffix(statePickle(two, false), "."), twoFloats), "no STOP"},
		{"legacy, storage count 2^40", legacyWeights(statePickle(two, true), count2To40, twoFloats), "claims 1099511627776 elements"},
		{"legacy, truncated before the count", legacyWeights(statePickle(two, true), "\x02\x00", ""), "before its element count"},
		{"legacy, object pickle BINBYTES8 claims 2^62 bytes", legacyWeights(bytes8Claim, count2, twoFloats), "claims 4611686018427387904 bytes"},
		{"legacy, unknown opcode", legacyWeights("\x80\x02\xff.", count2, twoFloats), "unknown pickle opcode 0xff"},
		{"zip, a weight is NaN", zipWeights(t, statePickle(two, false), nanFloats), "value 1 is NaN"},
		{"legacy, a weight is +Inf", legacyWeights(statePickle(two, true), count2, "\x00\x00\x80\x7f\x00\x00\x00\x40"), "value 0 is +Inf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "w.pth")
			if err := os.WriteFile(p, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			w, err := LoadWeights(p)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if got := w.params["w"]; len(got.data) != 2 || got.data[0] != 1 || got.data[1] != 2 || len(got.shape) != 1 || got.shape[0] != 2 {
					t.Fatalf("w = %+v, want shape [2] and data [1 2]", got)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), p) {
				t.Fatalf("error %v, want one naming the file and containing %q", err, tc.want)
			}
		})
	}
}

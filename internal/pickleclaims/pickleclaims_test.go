package pickleclaims

import (
	"bufio"
	"strings"
	"testing"
)

func scan(s string) (int64, error) { return Scan(bufio.NewReader(strings.NewReader(s)), int64(len(s))) }

// Each opcode class, well formed and lying; the offsets are those of the opcode at fault.
func TestScan(t *testing.T) {
	for _, tc := range []struct {
		name, pickle string
		n            int64  // bytes consumed when it passes
		want         string // error fragment; "" passes
	}{
		{"empty dict", "\x80\x02}.", 4, ""},
		{"stops at the first STOP", "\x80\x02N.trailing", 4, ""},
		{"short unicode and tuple", "\x80\x04\x8c\x03abc\x85.", 9, ""},
		{"frame that fits", "\x80\x04\x95\x02\x00\x00\x00\x00\x00\x00\x00N.", 13, ""},
		{"global (two lines)", "cnumpy\nndarray\n.", 16, ""},
		{"BINUNICODE claims 2^31 bytes", "\x80\x02X\x00\x00\x00\x80.", 0, "opcode 0x58 at byte 2 claims 2147483648 bytes"},
		{"BINSTRING negative length", "T\xff\xff\xff\xff.", 0, "claims 18446744073709551615 bytes"},
		{"LONG4 negative length", "\x8b\xfe\xff\xff\xff.", 0, "claims 18446744073709551615 bytes"},
		{"BINBYTES8 claims 2^62", "\x80\x03\x8e\x00\x00\x00\x00\x00\x00\x00\x40.", 0, "claims 4611686018427387904 bytes"},
		{"FRAME claims 2^62", "\x80\x04\x95\x00\x00\x00\x00\x00\x00\x00\x40.", 0, "opcode 0x95 at byte 2 claims"},
		{"argument cut short", "\x80\x02J\x01\x02", 0, "opcode 0x4a at byte 2 claims 4 bytes; 2 remain"},
		{"unterminated line", "I12", 0, "unterminated line"},
		{"unknown opcode", "\x80\x02\xff.", 0, "unknown pickle opcode 0xff at byte 2"},
		{"no STOP", "\x80\x02}", 0, "no STOP"},
		{"empty", "", 0, "no STOP"},
		{"nested lists at MaxDepth", "\x80\x02" + strings.Repeat("]", MaxDepth) + strings.Repeat("a", MaxDepth-1) + ".", 2 + 2*MaxDepth, ""},
		{"200,000 nested lists", "\x80\x02" + strings.Repeat("]", 200_000) + strings.Repeat("a", 199_999) + ".", 0, "nests deeper than MaxDepth 65536"},
		{"200,000 nested marks", strings.Repeat("(", 200_000) + ".", 0, "nests deeper than MaxDepth"},
		{"a batch of 1000 appends", "\x80\x02](" + strings.Repeat("K\x01", 1000) + "e.", 2006, ""},
		{"APPENDS without a mark", "\x80\x02]e.", 0, "never pushed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := scan(tc.pickle)
			if tc.want == "" {
				if err != nil || n != tc.n {
					t.Fatalf("Scan = %d, %v; want %d, nil", n, err, tc.n)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// FuzzScan: arbitrary bytes never panic Scan, and what it accepts ends with STOP within the input.
func FuzzScan(f *testing.F) {
	for _, s := range []string{"\x80\x02}.", "\x80\x04\x95\x02\x00\x00\x00\x00\x00\x00\x00N.", "cnumpy\nndarray\n.", "\x8e\xff", "\x80\x02((]e]a1.", "\x80\x02" + strings.Repeat("]", MaxDepth+1) + "."} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := scan(string(b))
		if err == nil && (n < 1 || n > int64(len(b)) || b[n-1] != '.') {
			t.Fatalf("accepted %d of %d bytes, not ending at a STOP", n, len(b))
		}
	})
}

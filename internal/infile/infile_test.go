package infile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSpecialFilesRefused: FIFOs, devices, directories and links to them are refused at once, naming the
// path; a link to a regular file is read; a file above the limit is refused naming the limit.
func TestSpecialFilesRefused(t *testing.T) {
	dir := t.TempDir()
	at := func(n string) string { return filepath.Join(dir, n) }
	if err := syscall.Mkfifo(at("fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(at("small"), []byte("abc"), 0o644)
	os.Symlink(at("small"), at("link-small"))
	os.Symlink("/dev/zero", at("link-zero"))
	os.Symlink(at("fifo"), at("link-fifo"))
	for _, tc := range []struct {
		path  string
		limit int64
		want  error
	}{
		{at("fifo"), 10, ErrNotRegular},
		{at("link-fifo"), 10, ErrNotRegular},
		{"/dev/zero", 10, ErrNotRegular},
		{at("link-zero"), 10, ErrNotRegular},
		{dir, 10, ErrNotRegular},
		{at("small"), 2, ErrTooLarge},
		{at("missing"), 10, os.ErrNotExist},
		{at("small"), 3, nil},
		{at("link-small"), 3, nil},
	} {
		done := make(chan error, 1)
		go func() { _, err := ReadFile(tc.path, tc.limit); done <- err }()
		select {
		case err := <-done:
			if !errors.Is(err, tc.want) && !(tc.want == nil && err == nil) {
				t.Errorf("%s (limit %d): %v, want %v", tc.path, tc.limit, err, tc.want)
			}
			if err != nil && !strings.Contains(err.Error(), tc.path) {
				t.Errorf("%s: error %q does not name the file", tc.path, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: blocked", tc.path)
		}
	}
	b, err := ReadFile(at("link-small"), 3)
	if err != nil || string(b) != "abc" {
		t.Errorf("link to a regular file: %q %v", b, err)
	}
}

// TestGrowingFileStops: reads stop with ErrTooLarge once a file holds more than its limit, even if it
// grew after Open.
func TestGrowingFileStops(t *testing.T) {
	p := filepath.Join(t.TempDir(), "grow")
	os.WriteFile(p, []byte("12"), 0o644)
	f, err := Open(p, 4)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	os.WriteFile(p, []byte("123456789"), 0o644)
	buf := make([]byte, 100)
	total := 0
	for {
		n, err := f.Read(buf)
		total += n
		if err != nil {
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("got %v after %d bytes, want ErrTooLarge", err, total)
			}
			break
		}
	}
	if total > 5 {
		t.Errorf("read %d bytes past a limit of 4", total)
	}
}

// Command mkrealdata rebuilds the real datasets embedded in datasets/real
// (alexa.npz from VCFingerprinting, pensieve.npz from Pensieve) from raw
// copies in a shared datasets folder, and checks or records their SHA-256
// checksums.
//
//	go run ./scripts/mkrealdata -shared ../shared/datasets -out datasets/real          # rebuild, check sums
//	go run ./scripts/mkrealdata -shared ../shared/datasets -out datasets/real -write   # rebuild, rewrite files and sums
//
// Without -write it writes nothing: it rebuilds both files in memory and
// compares them byte for byte with the committed ones and with SHA256SUMS,
// exiting non-zero on any difference. Get the raw copies with
// datasets/fetch.sh get vcfp-alexa pensieve-bw (pinned upstream commits,
// checked by checksum) if the shared folder is absent.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/netdiffus/netdiffus/datasets"
	"github.com/netdiffus/netdiffus/internal/atomicfile"
)

func main() {
	shared := flag.String("shared", "../shared/datasets", "folder holding vcfp-alexa and pensieve-bw")
	out := flag.String("out", "datasets/real", "folder of the embedded files")
	write := flag.Bool("write", false, "rewrite the files and SHA256SUMS instead of checking them")
	flag.Parse()
	if err := run(*shared, *out, *write); err != nil {
		fmt.Fprintln(os.Stderr, "mkrealdata:", err)
		os.Exit(1)
	}
}

func run(shared, out string, write bool) error {
	files, err := datasets.BuildReal(shared)
	if err != nil {
		return err
	}
	sums := datasets.Sums(files)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	if write {
		for _, n := range names {
			if err := atomicfile.WriteFile(filepath.Join(out, n), files[n]); err != nil {
				return err
			}
			fmt.Printf("wrote %s (%d bytes)\n", filepath.Join(out, n), len(files[n]))
		}
		return atomicfile.WriteFile(filepath.Join(out, datasets.SumsFile), []byte(sums))
	}
	bad := 0
	for _, n := range names {
		old, err := os.ReadFile(filepath.Join(out, n))
		switch {
		case err != nil:
			fmt.Printf("MISSING  %s (%v)\n", n, err)
			bad++
		case !bytes.Equal(old, files[n]):
			fmt.Printf("DIFFERS  %s: rebuilt %d bytes, committed %d\n", n, len(files[n]), len(old))
			bad++
		default:
			fmt.Printf("ok       %s (%d bytes)\n", n, len(old))
		}
	}
	if old, err := os.ReadFile(filepath.Join(out, datasets.SumsFile)); err != nil || string(old) != sums {
		fmt.Printf("DIFFERS  %s: want\n%s", datasets.SumsFile, sums)
		bad++
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d files differ from the rebuild (run with -write to replace them)", bad, len(names)+1)
	}
	return nil
}

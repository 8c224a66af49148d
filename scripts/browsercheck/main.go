// Command browsercheck opens the executed notebooks' HTML exports and the standalone interactive chart
// files in headless Chromium with the network blocked, and checks that every ECharts chart was drawn
// and that no request tried to leave the machine. It also checks each executed notebook's size
// (< 2 MB) and that the ECharts script is in it at most once, and that each live training view left
// one output (its final state), not one per update. It writes a screenshot of one chart to the output
// folder for a person to look at.
//
//	go run ./scripts/browsercheck -out out
//
// It reads out/notebooks/*.ipynb (from scripts/nbrun) and out/figures/*.html (from interactive.Show),
// writes out/html/*.html (nbconvert) and out/browsercheck-<chart>.png, and exits 1 when a check fails.
//
// With -jupyter it is the real-browser check instead (live.go): a Jupyter Notebook server on 127.0.0.1
// with the GoNB kernel, the executed tutorial and explorer notebooks opened in headless Chromium through
// the DevTools protocol as a user opens them, and checks that they are trusted, that every chart drew and
// the captions show, that the gamma slider and the class selector draw other views, that the live
// training view updates, that Run All of the tutorial finishes and that no request leaves 127.0.0.1.
//
//	go run ./scripts/browsercheck -jupyter -out out [-shots DIR]
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

func main() {
	out := flag.String("out", "out", "output folder of the notebook run (holds notebooks/ and figures/)")
	chrome := flag.String("chromium", "", "Chromium binary (default: chromium or chromium-browser on PATH)")
	shot := flag.String("screenshot", "explore_accuracy", "standalone chart to screenshot (name without .html; falls back to the first one)")
	jupyter := flag.Bool("jupyter", false, "the real-browser check: open the executed tutorial and explorer notebooks in a Jupyter server, in headless Chromium")
	shots := flag.String("shots", "", "with -jupyter: write full-page screenshots of the notebooks as opened into this folder")
	flag.Parse()
	bin, err := findChromium(*chrome)
	if err != nil {
		fmt.Fprintln(os.Stderr, "browsercheck:", err)
		os.Exit(1)
	}
	failures := 0
	report := func(what string, problems []string) {
		if len(problems) == 0 {
			fmt.Printf("ok    %s\n", what)
			return
		}
		failures++
		fmt.Printf("FAIL  %s\n", what)
		for _, p := range problems {
			fmt.Printf("        %s\n", p)
		}
	}
	if *jupyter {
		start := time.Now()
		failed := runJupyter(bin, *out, *shots, report)
		fmt.Printf("jupyter check: %d failed (%.0f s)\n", failed, time.Since(start).Seconds())
		if failed > 0 {
			os.Exit(1)
		}
		return
	}
	b := &browser{bin: bin, tmp: mustTemp()}
	defer os.RemoveAll(b.tmp)

	notebooks, _ := filepath.Glob(filepath.Join(*out, "notebooks", "*.ipynb"))
	sort.Strings(notebooks)
	htmlDir := filepath.Join(*out, "html")
	for _, nb := range notebooks {
		st, err := notebookStats(nb)
		if err != nil {
			report(nb, []string{err.Error()})
			continue
		}
		problems := st.problems()
		if st.charts > 0 && len(problems) == 0 {
			page, err := exportHTML(nb, htmlDir)
			if err != nil {
				problems = append(problems, err.Error())
			} else {
				problems = append(problems, b.check(page, st.charts)...)
			}
		}
		report(fmt.Sprintf("%s (%.0f KB, %d charts, ECharts script %dx, %d training views)", filepath.Base(nb), float64(st.size)/1024, st.charts, st.scripts, st.trainingViews), problems)
	}
	pages := chartPages(filepath.Join(*out, "figures"))
	for _, p := range pages {
		report(filepath.Base(p), b.check(p, -1))
	}
	if len(notebooks)+len(pages) == 0 {
		report("inputs", []string{fmt.Sprintf("no executed notebooks in %s/notebooks and no charts in %s/figures: run scripts/run-notebooks first", *out, *out)})
	}
	if len(pages) > 0 {
		target := pages[0]
		for _, p := range pages {
			if strings.TrimSuffix(filepath.Base(p), ".html") == *shot {
				target = p
			}
		}
		png := filepath.Join(*out, "browsercheck-"+strings.TrimSuffix(filepath.Base(target), ".html")+".png")
		if err := b.screenshot(target, png); err != nil {
			report("screenshot", []string{err.Error()})
		} else {
			fmt.Printf("screenshot of %s: %s\n", filepath.Base(target), png)
		}
	}
	fmt.Printf("browser check: %d notebooks, %d chart files, %d failed (chromium background requests ignored: %d, all blocked)\n",
		len(notebooks), len(pages), failures, b.ignored)
	if failures > 0 {
		os.Exit(1)
	}
}

// chartPages lists the standalone chart pages in dir: the .html files that hold a chart div (other
// HTML files there are not this checker's business).
func chartPages(dir string) []string {
	all, _ := filepath.Glob(filepath.Join(dir, "*.html"))
	sort.Strings(all)
	var pages []string
	for _, p := range all {
		if b, err := os.ReadFile(p); err == nil && strings.Contains(string(b), chartMarker) {
			pages = append(pages, p)
		}
	}
	return pages
}

// findChromium returns the Chromium binary to use.
func findChromium(flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no chromium on PATH: install Debian's chromium (scripts/setup does, as root) or pass -chromium")
}

func mustTemp() string {
	d, err := os.MkdirTemp("", "browsercheck-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "browsercheck:", err)
		os.Exit(1)
	}
	return d
}

// exportHTML converts an executed notebook to HTML with nbconvert and returns the page's path.
func exportHTML(nb, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	cmd := exec.Command("jupyter", "nbconvert", "--to", "html", "--output-dir", abs, nb)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("nbconvert --to html %s: %v: %s", nb, err, lastLine(string(msg)))
	}
	return filepath.Join(abs, strings.TrimSuffix(filepath.Base(nb), ".ipynb")+".html"), nil
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

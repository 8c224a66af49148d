package main

import (
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// browser runs headless Chromium, one fresh profile per page, with the network blocked: host names
// resolve to nothing and every proxied request goes to a closed local port. Chromium's NetLog records
// every request the page (or the browser) tried.
type browser struct {
	bin     string
	tmp     string
	runs    int
	ignored int // Chromium's own background requests seen (blocked like everything else)
}

// timeBudget is the virtual time a page gets to load and draw (ECharts waits for its script up to 10 s).
const timeBudget = 15000

func (b *browser) args(extra ...string) (args []string, netlog string) {
	b.runs++
	profile := filepath.Join(b.tmp, fmt.Sprintf("profile-%d", b.runs))
	netlog = filepath.Join(b.tmp, fmt.Sprintf("netlog-%d.json", b.runs))
	args = []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
		"--disable-extensions", "--user-data-dir=" + profile,
		"--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
		"--log-net-log=" + netlog, "--net-log-capture-mode=Default",
		"--virtual-time-budget=" + strconv.Itoa(timeBudget), "--window-size=800,520"}
	return append(args, extra...), netlog
}

// run starts Chromium with a time limit and returns its standard output.
func (b *browser) run(args []string) ([]byte, error) {
	cmd := exec.Command(b.bin, args...)
	cmd.Stderr = nil
	done := make(chan struct{})
	var out []byte
	var err error
	go func() { out, err = cmd.Output(); close(done) }()
	select {
	case <-done:
	case <-time.After(90 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		return nil, fmt.Errorf("chromium did not finish in 90 s")
	}
	if err != nil {
		return nil, fmt.Errorf("chromium: %v", err)
	}
	return out, nil
}

func fileURL(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	return (&url.URL{Scheme: "file", Path: abs}).String(), nil
}

// check loads the page, dumps its DOM after the time budget, and returns the problems: charts not
// drawn, fewer charts than want (want < 0: at least one), requests that tried to leave the machine.
func (b *browser) check(page string, want int) []string {
	u, err := fileURL(page)
	if err != nil {
		return []string{err.Error()}
	}
	args, netlog := b.args("--dump-dom", u)
	dom, err := b.run(args)
	if err != nil {
		return []string{err.Error()}
	}
	var problems []string
	charts := parseCharts(string(dom))
	switch {
	case want < 0 && len(charts) == 0:
		problems = append(problems, "no chart found in the page")
	case want >= 0 && len(charts) < want:
		problems = append(problems, fmt.Sprintf("%d charts in the page, the notebook has %d", len(charts), want))
	}
	for _, c := range charts {
		if p := c.problem(); p != "" {
			problems = append(problems, p)
		}
	}
	log, err := os.ReadFile(netlog)
	if err != nil {
		return append(problems, fmt.Sprintf("no NetLog written (%v): cannot tell whether requests left", err))
	}
	external, ignored := externalRequests(string(log))
	b.ignored += ignored
	for _, e := range external {
		problems = append(problems, "request tried to leave the machine: "+e)
	}
	return problems
}

// screenshot writes a PNG of the page.
func (b *browser) screenshot(page, png string) error {
	u, err := fileURL(page)
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(png)
	if err != nil {
		return err
	}
	args, _ := b.args("--screenshot="+abs, u)
	if _, err := b.run(args); err != nil {
		return err
	}
	if st, err := os.Stat(abs); err != nil || st.Size() == 0 {
		return fmt.Errorf("chromium wrote no screenshot to %s", abs)
	}
	return nil
}

// chart is what the dumped DOM says about one chart div.
type chart struct {
	id, name      string
	drawn         bool
	ink           string
	canvasW, canH int
	text          string // text the div shows instead (ECharts missing)
}

func (c chart) problem() string {
	switch {
	case !c.drawn:
		msg := fmt.Sprintf("chart %s (%s) was not drawn", c.name, c.id)
		if c.text != "" {
			msg += ": " + c.text
		}
		return msg
	case c.canvasW <= 0 || c.canH <= 0:
		return fmt.Sprintf("chart %s: no canvas of non-zero size", c.name)
	}
	if n, err := strconv.Atoi(c.ink); err != nil || n <= 0 {
		return fmt.Sprintf("chart %s: canvas holds no drawn pixels (data-ink=%q)", c.name, c.ink)
	}
	return ""
}

var (
	chartDiv  = regexp.MustCompile(`<div class="netdiffus-chart"([^>]*)>`)
	attr      = regexp.MustCompile(`([a-z-]+)="([^"]*)"`)
	canvasTag = regexp.MustCompile(`<canvas[^>]*\swidth="(\d+)"[^>]*\sheight="(\d+)"`)
)

// parseCharts finds the chart divs of a dumped DOM and what they hold (up to the next chart div).
func parseCharts(dom string) []chart {
	locs := chartDiv.FindAllStringSubmatchIndex(dom, -1)
	var out []chart
	for k, loc := range locs {
		c := chart{}
		for _, a := range attr.FindAllStringSubmatch(dom[loc[2]:loc[3]], -1) {
			switch a[1] {
			case "id":
				c.id = a[2]
			case "data-chart":
				c.name = a[2]
			case "data-drawn":
				c.drawn = a[2] == "1"
			case "data-ink":
				c.ink = a[2]
			}
		}
		end := len(dom)
		if k+1 < len(locs) {
			end = locs[k+1][0]
		}
		body := dom[loc[1]:end]
		if m := canvasTag.FindStringSubmatch(body); m != nil {
			c.canvasW, _ = strconv.Atoi(m[1])
			c.canH, _ = strconv.Atoi(m[2])
		}
		if i := strings.Index(body, "</div>"); i >= 0 && !strings.HasPrefix(body, "<") {
			c.text = strings.TrimSpace(body[:i])
		}
		out = append(out, c)
	}
	return out
}

// browserOwn are requests Chromium makes by itself even with background networking disabled (clock
// check, component updater, account list). They are blocked like everything else; they are not the
// page's, so they are counted but not reported. Matched by host and path prefix, not by host alone, so a
// page loading a font or script from a Google host is still reported.
var browserOwn = []string{
	"clients2.google.com/time/",
	"update.googleapis.com/service/update2/",
	"accounts.google.com/ListAccounts",
	"clients2.google.com/service/update2/",
	"redirector.gvt1.com/edgedl/",
	"www.google.com/complete/search",
	"optimizationguide-pa.googleapis.com/",
}

var urlField = regexp.MustCompile(`"url":"([^"]*)"`)

// externalRequests lists the distinct URLs in a NetLog that are not local (file:, data:, blob:,
// chrome:, loopback) and not Chromium's own, and counts Chromium's own.
func externalRequests(netlog string) (external []string, ignored int) {
	seen := map[string]bool{}
	for _, m := range urlField.FindAllStringSubmatch(netlog, -1) {
		u := m[1]
		if seen[u] {
			continue
		}
		seen[u] = true
		if local(u) {
			continue
		}
		if own(u) {
			ignored++
			continue
		}
		external = append(external, u)
	}
	return external, ignored
}

func local(u string) bool {
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	switch p.Scheme {
	case "file", "data", "blob", "chrome", "about", "devtools", "chrome-extension":
		return true
	}
	h := p.Hostname()
	return h == "localhost" || h == "127.0.0.1" || h == "::1"
}

func own(u string) bool {
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	hp := p.Host + p.Path
	for _, prefix := range browserOwn {
		if strings.HasPrefix(hp, prefix) {
			return true
		}
	}
	return false
}

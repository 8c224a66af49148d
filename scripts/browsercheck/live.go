package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The real-browser check (-jupyter): a Jupyter Notebook server on 127.0.0.1 with the GoNB kernel,
// headless Chromium driven through the DevTools protocol, the executed notebooks opened as a user opens
// them (not nbconvert's HTML), and these checks:
//
//   - the notebook is trusted (nbrun signed it) and every chart canvas drew (data-drawn, data-ink > 0);
//   - its captions (Markdown outputs) are shown;
//   - moving the tutorial's gamma slider and the explorer's class selector draws another view;
//   - the explorer notebook's live training view updates at least twice while it trains;
//   - Run All of the tutorial finishes (every code cell numbered, no error output);
//   - no request leaves 127.0.0.1 (every request is logged; the browser is also pointed at a dead proxy).

// liveNotebooks are the notebooks the check opens, from OUT/notebooks.
const (
	tutorialNotebook = "17_gasf_tutorial.ipynb"
	exploreNotebook  = "05_explore.ipynb"
)

// requestLog records every URL the page asks for.
type requestLog struct {
	mu   sync.Mutex
	urls map[string]bool
}

func (r *requestLog) add(u string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.urls[u] = true
}

// external lists the recorded requests that are not to the loopback server (or data:, blob:, ...).
func (r *requestLog) external() (out []string, total int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for u := range r.urls {
		if !local(u) {
			out = append(out, u)
		}
	}
	sort.Strings(out)
	return out, len(r.urls)
}

// liveCheck is one run of the real-browser check.
type liveCheck struct {
	srv      *server
	ctx      context.Context
	requests *requestLog
	shots    string // folder for screenshots ("" for none)
	report   func(what string, problems []string)
}

// runJupyter runs the real-browser check on OUT/notebooks and returns how many checks failed.
func runJupyter(bin, out, shots string, report func(string, []string)) int {
	root, err := os.Getwd()
	if err != nil {
		report("jupyter check", []string{err.Error()})
		return 1
	}
	outAbs, err := filepath.Abs(out)
	if err != nil {
		report("jupyter check", []string{err.Error()})
		return 1
	}
	rel, err := filepath.Rel(root, filepath.Join(outAbs, "notebooks"))
	if err != nil || strings.HasPrefix(rel, "..") {
		report("jupyter check", []string{fmt.Sprintf("%s is not under the repository %s: the server serves the repository", out, root)})
		return 1
	}
	for _, nb := range []string{tutorialNotebook, exploreNotebook} {
		if _, err := os.Stat(filepath.Join(outAbs, "notebooks", nb)); err != nil {
			report("jupyter check", []string{fmt.Sprintf("%s: run scripts/run-notebooks (or go run ./scripts/nbrun notebooks/%s) first: %v", nb, nb, err)})
			return 1
		}
	}
	tmp, err := os.MkdirTemp("", "jupytercheck-")
	if err != nil {
		report("jupyter check", []string{err.Error()})
		return 1
	}
	defer os.RemoveAll(tmp)
	// Kernels write their figures to a scratch folder and run the smoke preset from the cache.
	srv, err := startServer(root, filepath.Join(outAbs, "logs", "jupytercheck-server.log"),
		[]string{"NETDIFFUS_MODE=smoke", "NETDIFFUS_OUT=" + filepath.Join(tmp, "figures"), "JUPYTER_RUNTIME_DIR=" + filepath.Join(tmp, "runtime")})
	if err != nil {
		report("jupyter server", []string{err.Error()})
		return 1
	}
	defer srv.stop()

	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(filepath.Join(tmp, "profile")),
		chromedp.WindowSize(1280, 1000),
		// Nothing may leave the machine: every name resolves nowhere and every non-loopback request goes
		// to a dead proxy (loopback bypasses it by default); the request log below is what the check reads.
		chromedp.ProxyServer("http://127.0.0.1:9"),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
	)...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	reqs := &requestLog{urls: map[string]bool{}}
	err = chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			reqs.add(e.Request.URL)
		case *network.EventWebSocketCreated:
			reqs.add(e.URL)
		}
	})
	if err == nil {
		_, err = chromedp.Call(ctx, network.Enable, network.EnableParams{})
	}
	if err != nil {
		report("chromium (DevTools protocol)", []string{err.Error()})
		return 1
	}
	c := &liveCheck{srv: srv, ctx: ctx, requests: reqs, shots: shots, report: report}
	failed := 0
	count := func(what string, problems []string) {
		if len(problems) > 0 {
			failed++
		}
		report(what, problems)
	}
	c.report = count
	c.tutorial(filepath.ToSlash(filepath.Join(rel, tutorialNotebook)))
	c.explore(filepath.ToSlash(filepath.Join(rel, exploreNotebook)))
	ext, total := reqs.external()
	if len(ext) > 0 {
		count(fmt.Sprintf("requests: %d, all on 127.0.0.1", total), ext)
	} else {
		count(fmt.Sprintf("requests: %d, all on 127.0.0.1", total), nil)
	}
	return failed
}

// eval evaluates js (an expression) in the page and decodes its JSON value into T.
func eval[T any](ctx context.Context, js string) (T, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[T](js))
}

// status is what the page-side predicates return: ok, or why not yet.
type status struct {
	OK     bool   `json:"ok"`
	Reason string `json:"reason"`
}

// waitFor evaluates predicate (a JS expression returning {ok, reason}) every 250 ms until ok or until
// timeout; it returns the last reason when it timed out.
func waitFor(ctx context.Context, predicate string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	last := "never evaluated"
	for {
		st, err := eval[status](ctx, predicate)
		switch {
		case err != nil:
			last = err.Error()
		case st.OK:
			return nil
		default:
			last = st.Reason
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("after %s: %s", timeout, last)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// open navigates to the notebook, waits until Jupyter loaded it, and turns autosave off: the check runs
// cells but must never write the notebook.
func (c *liveCheck) open(rel string) error {
	if err := chromedp.Do(c.ctx, chromedp.Navigate(c.srv.notebookURL(rel))); err != nil {
		return err
	}
	if err := waitFor(c.ctx, `(() => { const nb = window.Jupyter && Jupyter.notebook;
		if (!nb || !nb._fully_loaded) return {ok: false, reason: 'notebook not loaded'};
		nb.set_autosave_interval(0); window.onbeforeunload = null;
		return {ok: true}; })()`, 90*time.Second); err != nil {
		return fmt.Errorf("opening %s: %w", rel, err)
	}
	return nil
}

// chartsJS reports the chart divs under the selector: how many, how many drew, how many have ink.
const chartsJS = `((sel) => { const cs = [...document.querySelectorAll(sel + ' .netdiffus-chart')];
	const drawn = cs.filter(c => c.getAttribute('data-drawn') === '1').length;
	const inked = cs.filter(c => +(c.getAttribute('data-ink') || 0) > 0).length;
	const bad = cs.filter(c => !(+(c.getAttribute('data-ink') || 0) > 0)).map(c => c.getAttribute('data-chart') + ' (drawn ' + c.getAttribute('data-drawn') + ', ink ' + c.getAttribute('data-ink') + ', ' + c.clientHeight + ' px high)');
	return {ok: cs.length >= %d && inked === cs.length, reason: cs.length + ' charts, ' + drawn + ' drawn, ' + inked + ' inked; not inked: ' + bad.slice(0, 5).join('; ')}; })(%q)`

// staticChecks: trusted, every chart drew (at least minCharts), at least minCaptions Markdown outputs.
func (c *liveCheck) staticChecks(name string, minCharts, minCaptions int) {
	var problems []string
	trusted, err := eval[bool](c.ctx, `Jupyter.notebook.trusted`)
	if err != nil || !trusted {
		problems = append(problems, fmt.Sprintf("not trusted (Jupyter.notebook.trusted = %v, %v): run it through scripts/nbrun, which signs it", trusted, err))
	}
	if err := waitFor(c.ctx, fmt.Sprintf(chartsJS, minCharts, "#notebook"), 60*time.Second); err != nil {
		problems = append(problems, "charts: "+err.Error())
	}
	captions, err := eval[int](c.ctx, `document.querySelectorAll('#notebook .output_markdown').length`)
	if err != nil || captions < minCaptions {
		problems = append(problems, fmt.Sprintf("%d Markdown captions shown, want at least %d (%v)", captions, minCaptions, err))
	}
	c.report(fmt.Sprintf("%s: trusted, charts drawn, %d captions", name, captions), problems)
}

// switchJS reads a switch's state: the shown view, how often it drew, and its charts' names.
const switchJS = `(() => { const a = document.querySelector('#notebook [data-switch]');
	if (!a) return null;
	return {view: a.getAttribute('data-view') || '', renders: +(a.getAttribute('data-renders') || 0),
		charts: [...a.querySelectorAll('.netdiffus-chart')].map(c => c.getAttribute('data-chart'))}; })()`

type switchState struct {
	View    string   `json:"view"`
	Renders int      `json:"renders"`
	Charts  []string `json:"charts"`
}

// moveControl sets the first switch's control (a range input or a select) to value, sends the event a
// user's move sends, and checks that another view with other charts was drawn, and drew.
func (c *liveCheck) moveControl(what, selector, event string, value int) {
	var problems []string
	before, err := eval[*switchState](c.ctx, switchJS)
	if err != nil || before == nil {
		c.report(what, []string{fmt.Sprintf("no explorer (data-switch) in the notebook: %v", err)})
		return
	}
	js := fmt.Sprintf(`(() => { const el = document.querySelector('#notebook [data-switch]').parentElement.querySelector(%q);
		if (!el) return false; el.value = %q; el.dispatchEvent(new Event(%q, {bubbles: true})); return true; })()`, selector, fmt.Sprint(value), event)
	if ok, err := eval[bool](c.ctx, js); err != nil || !ok {
		c.report(what, []string{fmt.Sprintf("control %s not found (%v)", selector, err)})
		return
	}
	if err := waitFor(c.ctx, fmt.Sprintf(`(() => { const a = document.querySelector('#notebook [data-switch]');
		return {ok: +a.getAttribute('data-renders') > %d, reason: 'renders ' + a.getAttribute('data-renders')}; })()`, before.Renders), 10*time.Second); err != nil {
		problems = append(problems, "no redraw: "+err.Error())
	}
	if err := waitFor(c.ctx, fmt.Sprintf(chartsJS, 1, "#notebook [data-switch]"), 20*time.Second); err != nil {
		problems = append(problems, "new view's charts: "+err.Error())
	}
	after, err := eval[*switchState](c.ctx, switchJS)
	if err != nil || after == nil {
		problems = append(problems, fmt.Sprintf("reading the view after the change: %v", err))
	} else if after.View == before.View || strings.Join(after.Charts, ",") == strings.Join(before.Charts, ",") {
		problems = append(problems, fmt.Sprintf("the view did not change: view %s -> %s, charts %v -> %v", before.View, after.View, before.Charts, after.Charts))
	}
	if len(problems) == 0 && after != nil {
		what += fmt.Sprintf(" (view %s -> %s)", before.View, after.View)
	}
	c.report(what, problems)
}

// screenshot writes the whole notebook page as a PNG into the shots folder.
func (c *liveCheck) screenshot(name string) {
	if c.shots == "" {
		return
	}
	if err := os.MkdirAll(c.shots, 0o755); err != nil {
		c.report("screenshot "+name, []string{err.Error()})
		return
	}
	// Let MathJax finish, then make the viewport as tall as the notebook (it scrolls inside #site).
	_ = waitFor(c.ctx, `(() => { const m = document.getElementById('MathJax_Message');
		return {ok: !m || getComputedStyle(m).display === 'none' || m.textContent === '', reason: 'MathJax busy'}; })()`, 15*time.Second)
	height, err := eval[int64](c.ctx, `(() => { const n = document.getElementById('notebook'); return (n ? n.scrollHeight : document.body.scrollHeight) + 120; })()`)
	if err != nil {
		c.report("screenshot "+name, []string{err.Error()})
		return
	}
	height = min(height, 16000)
	if err := chromedp.Do(c.ctx, chromedp.EmulateViewport(1280, height)); err != nil {
		c.report("screenshot "+name, []string{err.Error()})
		return
	}
	time.Sleep(time.Second) // charts resize to the new viewport
	png, err := chromedp.Run(c.ctx, chromedp.CaptureScreenshot())
	_ = chromedp.Do(c.ctx, chromedp.EmulateReset())
	if err == nil {
		err = os.WriteFile(filepath.Join(c.shots, name+".png"), png, 0o644)
	}
	if err != nil {
		c.report("screenshot "+name, []string{err.Error()})
		return
	}
	fmt.Printf("screenshot: %s\n", filepath.Join(c.shots, name+".png"))
}

// tutorial checks the executed tutorial as opened, moves its gamma slider, then runs it all.
func (c *liveCheck) tutorial(rel string) {
	if err := c.open(rel); err != nil {
		c.report(tutorialNotebook, []string{err.Error()})
		return
	}
	c.staticChecks(tutorialNotebook, 10, 8)
	c.screenshot("17_gasf_tutorial")
	c.moveControl(tutorialNotebook+": gamma slider draws another view", `input[type=range]`, "input", 0)
	c.runAll(rel)
}

// runAll runs every cell of the open notebook (Jupyter's Run All) and checks that it finishes: every
// code cell numbered, no error output, the charts drawn.
func (c *liveCheck) runAll(rel string) {
	what := filepath.Base(rel) + ": Run All finishes"
	start := time.Now()
	if _, err := eval[bool](c.ctx, `(() => { Jupyter.notebook.clear_all_output(); Jupyter.notebook.execute_all_cells(); return true; })()`); err != nil {
		c.report(what, []string{err.Error()})
		return
	}
	err := waitFor(c.ctx, `(() => { const cells = Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code');
		const pending = cells.filter(c => typeof c.input_prompt_number !== 'number').length;
		const errors = cells.filter(c => c.output_area.outputs.some(o => o.output_type === 'error')).length;
		if (errors > 0) return {ok: true, reason: errors + ' cells with an error'};
		return {ok: pending === 0 && !Jupyter.notebook.kernel_busy, reason: pending + ' of ' + cells.length + ' code cells not finished'}; })()`, 8*time.Minute)
	var problems []string
	if err != nil {
		problems = append(problems, err.Error())
	}
	errs, err := eval[[]string](c.ctx, `Jupyter.notebook.get_cells().flatMap((c, i) => c.cell_type !== 'code' ? [] :
		c.output_area.outputs.filter(o => o.output_type === 'error').map(o => 'cell ' + (i + 1) + ': ' + o.ename + ': ' + String(o.evalue).split('\n')[0]))`)
	if err != nil {
		problems = append(problems, err.Error())
	}
	problems = append(problems, errs...)
	if len(problems) == 0 {
		if err := waitFor(c.ctx, fmt.Sprintf(chartsJS, 10, "#notebook"), 60*time.Second); err != nil {
			problems = append(problems, "charts after Run All: "+err.Error())
		}
	}
	c.report(fmt.Sprintf("%s (%.0f s)", what, time.Since(start).Seconds()), problems)
	c.screenshot(strings.TrimSuffix(filepath.Base(rel), ".ipynb") + "-run-all")
}

// explore checks the executed explorer notebook as opened, moves its class selector, then runs the live
// training cell (after the set-up cells) and counts the view's updates.
func (c *liveCheck) explore(rel string) {
	if err := c.open(rel); err != nil {
		c.report(exploreNotebook, []string{err.Error()})
		return
	}
	c.staticChecks(exploreNotebook, 8, 1)
	c.screenshot("05_explore")
	c.moveControl(exploreNotebook+": class selector draws another view", `select`, "change", 1)
	c.liveView()
}

// liveView runs the set-up cells and the live-training cell of the open explorer notebook and checks that
// the training view showed at least two different states while training, then the finished one.
func (c *liveCheck) liveView() {
	what := exploreNotebook + ": live training view updates"
	idx, err := eval[[]int](c.ctx, `(() => { const cells = Jupyter.notebook.get_cells(); const out = [];
		cells.forEach((c, i) => { if (c.cell_type !== 'code') return; const s = c.get_text();
			if (s.includes('go work use') || s.includes('import (') || s.includes('NewTrainingView(')) out.push(i); });
		return out; })()`)
	if err != nil || len(idx) < 3 {
		c.report(what, []string{fmt.Sprintf("set-up and live-training cells not found: %v %v", idx, err)})
		return
	}
	live := idx[len(idx)-1]
	// Record every state of the training view as the page shows it.
	record := fmt.Sprintf(`(() => { window.__states = []; const cell = Jupyter.notebook.get_cell(%d);
		cell.clear_output();
		new MutationObserver(() => { const v = cell.element[0].querySelector('.netdiffus-training');
			if (v) { const t = v.textContent.split('\n')[0]; if (window.__states[window.__states.length - 1] !== t) window.__states.push(t); } })
			.observe(cell.element[0], {childList: true, subtree: true, characterData: true});
		Jupyter.notebook.execute_cells(%s); return true; })()`, live, jsonInts(idx))
	if _, err := eval[bool](c.ctx, record); err != nil {
		c.report(what, []string{err.Error()})
		return
	}
	start := time.Now()
	err = waitFor(c.ctx, fmt.Sprintf(`(() => { const cell = Jupyter.notebook.get_cell(%d);
		const bad = cell.output_area.outputs.some(o => o.output_type === 'error');
		const done = typeof cell.input_prompt_number === 'number';
		return {ok: done || bad, reason: 'states so far: ' + window.__states.length}; })()`, live), 6*time.Minute)
	var problems []string
	if err != nil {
		problems = append(problems, err.Error())
	}
	states, err := eval[[]string](c.ctx, `window.__states`)
	if err != nil {
		problems = append(problems, err.Error())
	}
	training, finished := 0, false
	for _, s := range states {
		if strings.Contains(s, "(training)") {
			training++
		}
		if strings.Contains(s, "(finished)") {
			finished = true
		}
	}
	if training < 2 || !finished {
		b, _ := json.Marshal(states)
		problems = append(problems, fmt.Sprintf("%d training states and finished %v, want at least 2 and true; states: %s", training, finished, b))
	}
	c.report(fmt.Sprintf("%s (%d states while training, %.0f s)", what, training, time.Since(start).Seconds()), problems)
	c.screenshot("05_explore-live-view")
}

func jsonInts(v []int) string {
	b, _ := json.Marshal(v)
	return string(b)
}

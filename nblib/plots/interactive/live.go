package interactive

import (
	"fmt"
	"html"
	"os"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/comms"
	"github.com/janpfeifer/gonb/gonbui/dom"
	"github.com/janpfeifer/gonb/gonbui/widgets"
)

// EnvWidgets names the environment variable that forces widgets on ("1") or off ("0").
const EnvWidgets = "NETDIFFUS_WIDGETS"

// LiveFrontEnd reports whether a browser is attached to the kernel, so widgets can work. It is false
// outside a notebook and in a headless run (jupyter nbconvert --execute has no browser, and a widget
// there would wait forever for its first value). A kernel started by a Jupyter server (its connection
// file names a kernel id, GONB_JUPYTER_KERNEL_ID, or the server names the session, JPY_SESSION_NAME) or
// with NETDIFFUS_WIDGETS=1 is probed: the page's GoNB bridge is asked to send a value back within
// timeout. Headless runs are not probed, because the probe installs GoNB's bridge script into the
// output. NETDIFFUS_WIDGETS=0 turns widgets off.
func LiveFrontEnd(timeout time.Duration) bool {
	if !gonbui.IsNotebook {
		return false
	}
	switch os.Getenv(EnvWidgets) {
	case "0":
		return false
	case "1":
	default:
		if os.Getenv("GONB_JUPYTER_KERNEL_ID") == "" && os.Getenv("JPY_SESSION_NAME") == "" {
			return false
		}
	}
	comms.Start()
	addr := "/netdiffus/probe/" + gonbui.UniqueId()
	ch := comms.Listen[int](addr)
	defer ch.Close()
	dom.TransientJavascript(fmt.Sprintf(`(() => { if (globalThis.gonb_comm) { globalThis.gonb_comm.newSyncedVariable(%q, 1); } })();`, addr))
	select {
	case <-ch.C:
		return true
	case <-time.After(timeout):
		return false
	}
}

// DisplayHTML shows an HTML block holding charts (from Fragment or Row) in a GoNB notebook, loading
// ECharts first if this session has not; outside a notebook it does nothing.
func DisplayHTML(block string) error {
	if !gonbui.IsNotebook {
		return nil
	}
	if err := ensureLoaded(); err != nil {
		return err
	}
	gonbui.DisplayHtml(block)
	return nil
}

// errorBlock shows an error inside an output area instead of ending the widget loop.
func errorBlock(err error) string {
	return `<pre style="color:#b00">` + html.EscapeString(err.Error()) + `</pre>`
}

// RunExplorer shows widgets (a select of dataset/class, a slider of the sample index and a stop button)
// above one output area that redraws ExploreSet.View on every change. It returns when the stop button
// is pressed. It needs a live front end (check LiveFrontEnd first); outside a notebook it returns at once.
func RunExplorer(sets ...*ExploreSet) error {
	if !gonbui.IsNotebook {
		return nil
	}
	type choice struct{ set, class int }
	var labels []string
	var choices []choice
	most := 1
	for s, set := range sets {
		for c, cls := range set.Classes {
			labels = append(labels, set.Name+" / "+cls)
			choices = append(choices, choice{s, c})
			most = max(most, set.Samples(c))
		}
	}
	if len(choices) == 0 {
		return fmt.Errorf("explorer: no classes to explore")
	}
	if err := ensureLoaded(); err != nil {
		return err
	}
	gonbui.DisplayHtml(`<b>dataset / class</b>, then <b>sample index</b> (wraps around a class's samples):`)
	sel := widgets.Select(labels).Done()
	slider := widgets.Slider(0, most-1, 0).Done()
	stop := widgets.Button("stop exploring").Done()
	area := "netdiffus_explore_" + gonbui.UniqueId()
	cur, index := 0, 0
	draw := func() {
		ch := choices[cur]
		block, err := sets[ch.set].View(ch.class, index)
		if err != nil {
			block = errorBlock(err)
		}
		gonbui.UpdateHtml(area, block)
	}
	draw()
	selC, sliderC, stopC := sel.Listen(), slider.Listen(), stop.Listen()
	defer selC.Close()
	defer sliderC.Close()
	defer stopC.Close()
	for {
		select {
		case v := <-selC.C:
			if v >= 0 && v < len(choices) {
				cur = v
				draw()
			}
		case v := <-sliderC.C:
			index = max(v, 0)
			draw()
		case <-stopC.C:
			gonbui.DisplayHtml(`<i>explorer stopped; re-run the cell to explore again</i>`)
			return nil
		}
	}
}

// RunGammaSize shows a slider over gammas and a select over sizes above one output area that redraws
// GammaSizeView for the series on every change, until the stop button is pressed. It needs a live front
// end (check LiveFrontEnd first); outside a notebook it returns at once.
func RunGammaSize(series []float64, gammas []float64, sizes []int) error {
	if !gonbui.IsNotebook {
		return nil
	}
	if len(gammas) == 0 || len(sizes) == 0 {
		return fmt.Errorf("gamma/size explorer: needs gammas and sizes")
	}
	if err := ensureLoaded(); err != nil {
		return err
	}
	sizeLabels := make([]string, len(sizes))
	for i, s := range sizes {
		sizeLabels[i] = fmt.Sprintf("%dx%d", s, s)
	}
	gonbui.DisplayHtml(`<b>gamma</b> (slider: ` + fmt.Sprint(gammas) + `) and <b>image size</b>:`)
	slider := widgets.Slider(0, len(gammas)-1, 0).Done()
	sel := widgets.Select(sizeLabels).Done()
	stop := widgets.Button("stop").Done()
	area := "netdiffus_gamma_" + gonbui.UniqueId()
	g, s := 0, 0
	draw := func() {
		block, err := GammaSizeView("gamma_size", series, gammas[g], sizes[s])
		if err != nil {
			block = errorBlock(err)
		}
		gonbui.UpdateHtml(area, block)
	}
	draw()
	slC, selC, stopC := slider.Listen(), sel.Listen(), stop.Listen()
	defer slC.Close()
	defer selC.Close()
	defer stopC.Close()
	for {
		select {
		case v := <-slC.C:
			if v >= 0 && v < len(gammas) {
				g = v
				draw()
			}
		case v := <-selC.C:
			if v >= 0 && v < len(sizes) {
				s = v
				draw()
			}
		case <-stopC.C:
			return nil
		}
	}
}

// Markdown shows Markdown text in a GoNB notebook (and nothing elsewhere), so notebooks need not import
// gonbui themselves.
func Markdown(text string) {
	gonbui.DisplayMarkdown(text)
}

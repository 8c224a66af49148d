package interactive

import (
	"bytes"
	"fmt"
	"html"
	"strings"
)

// Control is one input of a Switch: a slider (showing its value) or a select over labelled values.
type Control struct {
	Label  string   // shown before the control, e.g. "gamma"
	Values []string // the value labels, in order
	Start  int      // index of the starting value
	Slider bool     // a range slider instead of a select
}

// MaxSwitchViews bounds the views one Switch draws in advance (the product of its controls' sizes):
// every view is embedded in the output.
const MaxSwitchViews = 64

// Switch draws view(choice) for every combination of the controls' values in advance and returns an
// HTML block: the controls above one area that shows the chosen combination's charts, switched in the
// browser. Nothing waits on the kernel, so the cell that displays it ends at once (Run All finishes) and
// the controls keep working in a saved notebook and in its HTML export. choice[k] is the index into
// controls[k].Values.
//
// The area carries data-switch (name), data-view (the shown combination, row-major over the controls)
// and data-renders (how many times it was drawn); each chart div carries data-chart, data-drawn and
// data-ink as Fragment's do, so a browser check can follow a change.
func Switch(name string, controls []Control, view func(choice []int) ([]*Chart, error)) (Block, error) {
	if len(controls) == 0 {
		return Block{}, fmt.Errorf("switch %s: no controls", name)
	}
	total := 1
	for _, c := range controls {
		if len(c.Values) == 0 || c.Start < 0 || c.Start >= len(c.Values) {
			return Block{}, fmt.Errorf("switch %s: control %q has %d values and starts at %d", name, c.Label, len(c.Values), c.Start)
		}
		total *= len(c.Values)
	}
	if total > MaxSwitchViews {
		return Block{}, fmt.Errorf("switch %s: %d combinations, at most %d are drawn in advance: offer fewer values", name, total, MaxSwitchViews)
	}
	var views bytes.Buffer
	var startText string
	choice := make([]int, len(controls))
	for k := 0; k < total; k++ {
		rest := k
		for i := len(controls) - 1; i >= 0; i-- {
			choice[i] = rest % len(controls[i].Values)
			rest /= len(controls[i].Values)
		}
		charts, err := view(choice)
		if err != nil {
			return Block{}, fmt.Errorf("switch %s at %s: %w", name, describeChoice(controls, choice), err)
		}
		views.WriteString("function(){return [")
		for j, c := range charts {
			if j > 0 {
				views.WriteString(",")
			}
			fmt.Fprintf(&views, "{n:%s,w:%d,h:%d,o:%s}", jsonString(c.Name), c.Width, c.Height, c.Option)
		}
		views.WriteString("];},\n")
		if isStart(controls, choice) {
			startText = ChartsText(charts...)
		}
	}
	id := newID()
	var b strings.Builder
	fmt.Fprintf(&b, `<div class="netdiffus-switch" id=%q>`+"\n", id)
	b.WriteString(`<div style="display:flex;gap:24px;align-items:center;margin:4px 0 8px 0;font-size:14px">`)
	var dims, labels []string
	for i, c := range controls {
		fmt.Fprintf(&b, `<label><b>%s</b> `, html.EscapeString(c.Label))
		if c.Slider {
			fmt.Fprintf(&b, `<input type="range" data-control="%d" min="0" max="%d" step="1" value="%d" style="vertical-align:middle">`+
				` <output data-value="%d" style="display:inline-block;min-width:4em;font-weight:bold">%s</output>`,
				i, len(c.Values)-1, c.Start, i, html.EscapeString(c.Values[c.Start]))
		} else {
			fmt.Fprintf(&b, `<select data-control="%d">`, i)
			for j, v := range c.Values {
				sel := ""
				if j == c.Start {
					sel = " selected"
				}
				fmt.Fprintf(&b, `<option value="%d"%s>%s</option>`, j, sel, html.EscapeString(v))
			}
			b.WriteString(`</select>`)
		}
		b.WriteString("</label>\n")
		dims = append(dims, fmt.Sprint(len(c.Values)))
		quoted := make([]string, len(c.Values))
		for j, v := range c.Values {
			quoted[j] = jsonString(v)
		}
		labels = append(labels, "["+strings.Join(quoted, ",")+"]")
	}
	b.WriteString("</div>\n")
	fmt.Fprintf(&b, `<div data-switch=%q data-renders="0" style="display:flex;flex-wrap:wrap;gap:8px;align-items:flex-start"></div>`+"\n", html.EscapeString(name))
	b.WriteString("</div>\n")
	fmt.Fprintf(&b, "<script>(function(){var root=document.getElementById(%q);if(!root){return;}\n"+
		"var dims=[%s],labels=[%s],renders=0,live=[],n=0;\nvar V=[\n%s];\n"+
		inkJS+"\n"+switchJS+"})();</script>\n",
		id, strings.Join(dims, ","), strings.Join(labels, ","), views.String())
	text := fmt.Sprintf("[interactive view] %s: %s (the controls need a trusted notebook); at the start:\n%s",
		name, describeControls(controls), startText)
	return Block{HTML: b.String(), Text: text}, nil
}

// switchJS reads the controls, picks the view and draws its charts into the area, after ECharts loaded.
const switchJS = `var area=root.querySelector('[data-switch]'),ctl=root.querySelectorAll('[data-control]');
function pick(){var k=0;for(var i=0;i<ctl.length;i++){var c=ctl[i],j=+c.getAttribute('data-control'),v=+c.value;k=k*dims[j]+v;var o=root.querySelector('[data-value="'+j+'"]');if(o){o.textContent=labels[j][v];}}return k;}
function render(){if(typeof echarts==='undefined'){if(++n<200){setTimeout(render,50);}else{area.textContent='ECharts did not load: run the first chart cell of this notebook (it carries the script), or re-run scripts/setup.';}return;}
var k=pick();live.forEach(function(c){c.dispose();});live=[];area.innerHTML='';
V[k]().forEach(function(s){var el=document.createElement('div');el.className='netdiffus-chart';el.setAttribute('data-chart',s.n);el.style.width=s.w+'px';el.style.height=s.h+'px';area.appendChild(el);
var c=echarts.init(el,null,{renderer:'canvas'});c.on('finished',function(){inked(el);});c.setOption(s.o);el.setAttribute('data-drawn','1');live.push(c);});
area.setAttribute('data-view',String(k));area.setAttribute('data-renders',String(++renders));}
for(var i=0;i<ctl.length;i++){ctl[i].addEventListener(ctl[i].tagName==='SELECT'?'change':'input',render);}
render();`

func isStart(controls []Control, choice []int) bool {
	for i, c := range controls {
		if choice[i] != c.Start {
			return false
		}
	}
	return true
}

func describeChoice(controls []Control, choice []int) string {
	parts := make([]string, len(controls))
	for i, c := range controls {
		parts[i] = c.Label + " " + c.Values[choice[i]]
	}
	return strings.Join(parts, ", ")
}

func describeControls(controls []Control) string {
	parts := make([]string, len(controls))
	for i, c := range controls {
		parts[i] = fmt.Sprintf("%s in {%s}, starting at %s", c.Label, strings.Join(c.Values, ", "), c.Values[c.Start])
	}
	return strings.Join(parts, "; ")
}

package interactive

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"strings"
	"sync/atomic"
	"time"
)

// Chart is one ECharts chart ready to display: its option object (JSON, possibly with JavaScript
// functions inlined by go-echarts) and its size in CSS pixels.
type Chart struct {
	Name          string // file name without extension, also the figure's caption in the page title
	Option        string // the ECharts option as a JavaScript object literal
	Width, Height int    // CSS pixels
	// Text describes the chart in plain text (title, axes, each series' size and range): the fallback a
	// viewer shows where the chart's script cannot run (an untrusted notebook, GitHub, nbviewer).
	Text string
}

// Default chart size in CSS pixels.
const (
	Width  = 720
	Height = 400
)

// funcMarker is go-echarts' marker around JavaScript functions inside its JSON (opts.FuncOpts).
var funcMarker = regexp.MustCompile(`(__f__")|("__f__)|(__f__)`)

// bareValue matches a data item that holds nothing but its value, {"value":[...]}: ECharts reads the bare
// array the same, in a third fewer bytes for heat maps and long lines.
var bareValue = regexp.MustCompile(`\{"value":(\[[^\[\]{}]*\])\}`)

// fromOption turns go-echarts' JSON (from JSONNotEscaped) into a Chart, unquoting inlined functions and
// writing value-only data items as bare arrays.
func fromOption(name, optionJSON string, width, height int) *Chart {
	if width <= 0 {
		width = Width
	}
	if height <= 0 {
		height = Height
	}
	opt := strings.TrimSpace(funcMarker.ReplaceAllString(optionJSON, ""))
	opt = bareValue.ReplaceAllString(opt, "$1")
	opt = strings.ReplaceAll(opt, "</", `<\/`) // a "</script>" inside a title must not end the script
	return &Chart{Name: name, Option: opt, Width: width, Height: height}
}

// described sets the chart's plain-text fallback and returns the chart.
func (c *Chart) described(d *describer) *Chart {
	c.Text = d.String()
	return c
}

var chartSeq atomic.Int64

// newID returns an element id unique within a page and across cells of a kernel session (each GoNB cell
// is a new process, so the time is part of it).
func newID() string {
	return fmt.Sprintf("ndchart_%x_%d", time.Now().UnixNano(), chartSeq.Add(1))
}

// Fragment is the chart as an HTML fragment: a <div> and a script that waits (up to 10 s) for the global
// `echarts`, then draws the chart into the div and records data-drawn="1" and data-ink (see inkJS). If
// ECharts never arrives the div says so, instead of staying blank.
func (c *Chart) Fragment() string {
	id := newID()
	var b bytes.Buffer
	fmt.Fprintf(&b, `<div class="netdiffus-chart" id=%q data-chart=%q style="width:%dpx;height:%dpx;"></div>`+"\n",
		id, html.EscapeString(c.Name), c.Width, c.Height)
	fmt.Fprintf(&b, "<script>(function(){var n=0;function draw(){var el=document.getElementById(%q);"+
		"if(!el){return;}"+
		"if(typeof echarts==='undefined'){if(++n<200){setTimeout(draw,50);}else{el.textContent='ECharts did not load: run the first chart cell of this notebook (it carries the script), or re-run scripts/setup.';}return;}"+
		"var c=echarts.init(el,null,{renderer:'canvas'});c.on('finished',function(){inked(el);});c.setOption(%s);el.setAttribute('data-drawn','1');}"+
		inkJS+"draw();})();</script>\n",
		id, c.Option)
	return b.String()
}

// inkJS defines inked(el): after ECharts finished drawing, it counts the canvas's non-transparent pixels
// on a sparse grid (every 100th pixel) into the div's data-ink attribute, so a headless browser check can
// tell a drawn chart from an empty canvas without a screenshot.
const inkJS = "function inked(el){try{var cv=el.querySelector('canvas'),d=cv.getContext('2d').getImageData(0,0,cv.width,cv.height).data,k=0;" +
	"for(var i=3;i<d.length;i+=400){if(d[i]>0){k++;}}el.setAttribute('data-ink',String(k));}catch(e){el.setAttribute('data-ink','error '+e);}}"

// Page is the chart as a standalone HTML page that loads ECharts from scriptSrc (a relative path).
func (c *Chart) Page(scriptSrc string) string {
	return fmt.Sprintf("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%s</title>\n<script src=%q></script>\n</head><body>\n%s</body></html>\n",
		html.EscapeString(c.Name), scriptSrc, c.Fragment())
}

// jsonString quotes s for JavaScript.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

package interactive

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"image/png"
	"strings"
	"sync"
	"time"

	"github.com/janpfeifer/gonb/gonbui"

	"github.com/netdiffus/netdiffus/nblib/plots"
)

// TrainingProgress is one report of a training run, in plain values so any trainer can send it.
type TrainingProgress struct {
	Step, TotalSteps int64
	Loss             float64       // e.g. the mean loss since the previous report
	StepsPerSec      float64       // 0: estimated from the previous report
	Elapsed          time.Duration // wall time of the run so far (for the time left); 0: not shown
	Samples          [][]byte      // optional current samples, SampleSize x SampleSize 8-bit each
	SampleSize       int
}

// TrainingView shows a training run live in ONE notebook output area, updated in place (GoNB's
// display update by id): the loss curve, step, steps per second, time left and a few current samples.
// Updates are sent at most every Interval; Done sends the final state. Outside a notebook every method
// does nothing, so command-line programs keep their own progress output.
type TrainingView struct {
	Title    string
	Interval time.Duration // minimum time between updates (default 2 s)

	mu       sync.Mutex
	id       string
	steps    []float64
	losses   []float64
	last     TrainingProgress
	lastSent time.Time
	prevStep int64
	prevAt   time.Time
	// The time left is estimated from the steps after the first report (which pays for compiling the
	// model): firstStep at firstAt, the latest report at prevAt.
	firstStep int64
	firstAt   time.Time
	reports   int
	clock     func() time.Time // time.Now; tests replace it
	updates   int
	err       error
}

// NewTrainingView returns a view with the given title and the default interval.
func NewTrainingView(title string) *TrainingView {
	return &TrainingView{Title: title, Interval: 2 * time.Second, id: "netdiffus_training_" + gonbui.UniqueId()}
}

// Update records a report and refreshes the output area if Interval has passed since the last refresh.
func (v *TrainingView) Update(p TrainingProgress) {
	v.mu.Lock()
	defer v.mu.Unlock()
	now := time.Now()
	if v.clock != nil {
		now = v.clock()
	}
	if p.StepsPerSec == 0 && !v.prevAt.IsZero() && p.Step > v.prevStep {
		p.StepsPerSec = float64(p.Step-v.prevStep) / now.Sub(v.prevAt).Seconds()
	}
	if v.reports == 0 {
		v.firstStep, v.firstAt = p.Step, now
	}
	v.reports++
	v.prevStep, v.prevAt = p.Step, now
	if p.Samples == nil {
		p.Samples, p.SampleSize = v.last.Samples, v.last.SampleSize
	}
	v.last = p
	v.steps = append(v.steps, float64(p.Step))
	v.losses = append(v.losses, p.Loss)
	if gonbui.IsNotebook && now.Sub(v.lastSent) >= v.interval() {
		v.sendLocked(false)
	}
}

// Done refreshes the output area with the final state, whatever the interval, and returns the first
// error met while drawing (nil outside a notebook).
func (v *TrainingView) Done() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if gonbui.IsNotebook && len(v.steps) > 0 {
		v.sendLocked(true)
	}
	return v.err
}

// Updates returns how many times the output area was refreshed.
func (v *TrainingView) Updates() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.updates
}

func (v *TrainingView) interval() time.Duration {
	if v.Interval <= 0 {
		return 2 * time.Second
	}
	return v.Interval
}

func (v *TrainingView) sendLocked(final bool) {
	if err := ensureLoaded(); err != nil && v.err == nil {
		v.err = err
	}
	body, err := v.htmlLocked(final)
	if err != nil && v.err == nil {
		v.err = err
	}
	sendRich(v.id, body, v.textLocked(final))
	v.lastSent = time.Now()
	v.updates++
}

// maxCurvePoints bounds the points drawn in the live loss curve (older points are thinned evenly).
const maxCurvePoints = 400

// HTML returns the current state of the view as HTML (what the output area shows).
func (v *TrainingView) HTML(final bool) (string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.htmlLocked(final)
}

func (v *TrainingView) htmlLocked(final bool) (string, error) {
	var b strings.Builder
	p := v.last
	state := "training"
	if final {
		state = "finished"
	}
	fmt.Fprintf(&b, `<div class="netdiffus-training"><b>%s</b> (%s): step %d`, html.EscapeString(v.Title), state, p.Step)
	if p.TotalSteps > 0 {
		fmt.Fprintf(&b, " / %d (%.0f%%)", p.TotalSteps, 100*float64(p.Step)/float64(p.TotalSteps))
	}
	fmt.Fprintf(&b, ", loss %.4f", p.Loss)
	if p.StepsPerSec > 0 {
		fmt.Fprintf(&b, ", %.2f steps/s", p.StepsPerSec)
	}
	if !final && p.TotalSteps > p.Step {
		b.WriteString(", " + v.leftLocked())
	}
	if p.Elapsed > 0 {
		fmt.Fprintf(&b, ", %s elapsed", p.Elapsed.Round(time.Second))
	}
	b.WriteString("<br/>\n")
	xs, ys := thin(v.steps, v.losses, maxCurvePoints)
	var firstErr error
	if c, err := Lines("training_loss", "training loss", "step", "loss (mean since the last report)", false, XY{Name: "loss", X: xs, Y: ys}); err == nil {
		c.Width, c.Height = 560, 260
		b.WriteString(c.Fragment())
	} else {
		firstErr = err
	}
	if len(p.Samples) > 0 && p.SampleSize > 0 {
		if img, err := plots.GrayGrid(p.Samples, p.SampleSize, len(p.Samples), max(1, 64/p.SampleSize)); err == nil {
			var buf bytes.Buffer
			if err := png.Encode(&buf, img); err == nil {
				fmt.Fprintf(&b, `<div>current samples:<br/><img alt="samples" style="image-rendering:pixelated" src="data:image/png;base64,%s"/></div>`,
					base64.StdEncoding.EncodeToString(buf.Bytes()))
			}
		} else if firstErr == nil {
			firstErr = err
		}
	}
	b.WriteString("</div>\n")
	return b.String(), firstErr
}

// leftLocked estimates the time left from the steady rate: steps since the first report over the time
// since it, so the model's compilation and first step do not inflate the estimate; until a second
// report it says it is still estimating.
func (v *TrainingView) leftLocked() string {
	p := v.last
	dt := v.prevAt.Sub(v.firstAt).Seconds()
	if v.reports < 2 || dt <= 0 || p.Step <= v.firstStep {
		return "estimating the time left"
	}
	rate := float64(p.Step-v.firstStep) / dt
	left := time.Duration(float64(p.TotalSteps-p.Step) / rate * float64(time.Second))
	return fmt.Sprintf("about %s left", left.Round(time.Second))
}

// textLocked is the plain-text fallback of the view: one status line.
func (v *TrainingView) textLocked(final bool) string {
	p := v.last
	state := "training"
	if final {
		state = "finished"
	}
	s := fmt.Sprintf("%s (%s): step %d", v.Title, state, p.Step)
	if p.TotalSteps > 0 {
		s += fmt.Sprintf(" / %d", p.TotalSteps)
	}
	s += fmt.Sprintf(", loss %.4f", p.Loss)
	if !final && p.TotalSteps > p.Step {
		s += ", " + v.leftLocked()
	}
	if p.Elapsed > 0 {
		s += fmt.Sprintf(", %s elapsed", p.Elapsed.Round(time.Second))
	}
	return s
}

// thin keeps at most n evenly spaced points of (xs, ys), always the last one.
func thin(xs, ys []float64, n int) ([]float64, []float64) {
	if len(xs) <= n {
		return append([]float64(nil), xs...), append([]float64(nil), ys...)
	}
	ox, oy := make([]float64, 0, n), make([]float64, 0, n)
	for k := 0; k < n; k++ {
		i := k * (len(xs) - 1) / (n - 1)
		ox, oy = append(ox, xs[i]), append(oy, ys[i])
	}
	return ox, oy
}

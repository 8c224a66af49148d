package diffusion_test

import (
	"context"
	"fmt"
	"math"

	"github.com/netdiffus/netdiffus/nblib/diffusion"
)

// A cosine schedule of 1000 steps: abar falls from nearly 1 to nearly 0.
func ExampleNewSchedule() {
	s, err := diffusion.NewSchedule(diffusion.Cosine, 1000)
	if err != nil {
		panic(err)
	}
	fmt.Printf("T=%d abar[0]=%.6f abar[500]=%.4f beta[999]=%.3f\n", s.Steps(), s.AlphasCumprod[0], s.AlphasCumprod[500], s.Betas[999])
	// Output: T=1000 abar[0]=0.999959 abar[500]=0.4923 beta[999]=0.999
}

// Sampling a balanced dataset with DDIM-50 and a denoiser. Here the denoiser is the exact noise
// predictor of data N(mu_c, 0.3^2) with mu_c = -0.5 for class 0 and +0.5 for class 1.
func ExampleSchedule_SampleClasses() {
	s := diffusion.MustSchedule(diffusion.Cosine, 1000)
	exact := func(xt diffusion.Array, t []int, labels []int) (diffusion.Array, error) {
		out := diffusion.NewArray(xt.Shape...)
		n := xt.ExampleSize()
		for b := range t {
			ab, mu, sd := s.AlphasCumprod[t[b]], float64(2*labels[b]-1)*0.5, 0.3
			for j := range n {
				v := float64(xt.Data[b*n+j])
				out.Data[b*n+j] = float32((v - math.Sqrt(ab)*mu) * math.Sqrt(1-ab) / (ab*sd*sd + 1 - ab))
			}
		}
		return out, nil
	}
	x, labels, err := s.SampleClasses(context.Background(), exact, []int{500, 500}, diffusion.SampleConfig{
		Sampler: diffusion.DDIM, Steps: 50, ExampleShape: []int{4}, BatchSize: 250, Seed: 1})
	if err != nil {
		panic(err)
	}
	var sum [2]float64
	for b, l := range labels {
		for _, v := range x.Example(b) {
			sum[l] += float64(v)
		}
	}
	fmt.Printf("%d samples; class means %.1f %.1f\n", x.Batch(), sum[0]/2000, sum[1]/2000)
	// Output: 1000 samples; class means -0.5 0.5
}

// ExampleNetworkCalls shows the network calls of a few-step sampler and the Karras steps it visits.
func ExampleNetworkCalls() {
	s := diffusion.MustSchedule(diffusion.Cosine, 1000)
	steps := diffusion.StepsForCalls(diffusion.Heun, 18)
	fmt.Println("heun:", steps, "steps,", diffusion.NetworkCalls(diffusion.Heun, steps), "calls")
	fmt.Println("dpmpp2m:", diffusion.NetworkCalls(diffusion.DPMSolver2M, diffusion.StepsForCalls(diffusion.DPMSolver2M, 18)), "calls")
	fmt.Println("karras steps:", s.KarrasSteps(5))
	// Output:
	// heun: 9 steps, 17 calls
	// dpmpp2m: 18 calls
	// karras steps: [0 164 802 965 991]
}

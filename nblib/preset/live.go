package preset

// Live is the live training demonstration of the notebooks (nblib/plots/interactive/livetrain): a tiny
// model trained through the pipeline on one dataset group while a view shows the loss and samples.
type Live struct {
	Dataset, Group string // a default dataset and one of its groups, e.g. "d1", "netflix"
	SampleEvery    int    // steps between sample grids shown in the view (0: none)
	Preset         Preset // the run: data, model and training length
}

// LiveTrain is a run of 150 training steps at 8x8 on D1-Netflix, reporting every 5 steps and showing
// samples every 50: long enough to watch the view update several times, short enough for CI. The
// model is the smoke preset's shrunk to 8 base channels without attention, batch 16.
func LiveTrain() Live {
	p := SmokePreset()
	p.Name = "live"
	p.Net.Size, p.Net.ModelChannels, p.Net.NormGroups = 8, 8, 4
	p.Net.AttentionResolutions = nil
	p.Train.BatchSize = 16
	p.Train.Steps, p.Train.ReportEvery, p.Train.Keep = 150, 5, 1
	return Live{Dataset: "d1", Group: "netflix", SampleEvery: 50, Preset: p}
}

package baselines

// TinySeries exports the test data generator to the external tests (the benchmarks).
var TinySeries = tinySeries

// Package must turns a Go call's error into a panic, for notebook cells: GoNB shows a panic as the
// cell's error output (with the error's message), and the headless runner fails the notebook on it.
//
//	img := must.M1(gasf.Encode(series, gasf.DefaultParams(64)))
//	must.M(view.Done())
//
// It is the API of github.com/janpfeifer/must (which GoMLX copies into an internal package a notebook
// cannot import), without its logging: the panic carries the error unchanged, so errors.Is and
// errors.As see it in a recover. Library code returns errors; only notebooks and examples use must.
package must

// M panics with err when err is not nil.
func M(err error) {
	if err != nil {
		panic(err)
	}
}

// M1 panics with err when err is not nil, else returns v.
func M1[T any](v T, err error) T {
	M(err)
	return v
}

// M2 panics with err when err is not nil, else returns v1 and v2.
func M2[T1, T2 any](v1 T1, v2 T2, err error) (T1, T2) {
	M(err)
	return v1, v2
}

// M3 panics with err when err is not nil, else returns v1, v2 and v3.
func M3[T1, T2, T3 any](v1 T1, v2 T2, v3 T3, err error) (T1, T2, T3) {
	M(err)
	return v1, v2, v3
}

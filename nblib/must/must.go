// Package must turns an error into a panic, for notebook cells: GoNB shows a panic with its message and
// stops the cell, which is what a notebook wants of an error, without an if-block around every call.
// Library code returns errors; only notebooks (and examples) use this package.
//
// The names follow GoMLX's notebooks (github.com/janpfeifer/must): M checks an error, M1 returns the one
// value beside it.
package must

// M panics with err when it is not nil.
func M(err error) {
	if err != nil {
		panic(err)
	}
}

// M1 panics with err when it is not nil, else returns v.
func M1[T any](v T, err error) T {
	M(err)
	return v
}

// M2 panics with err when it is not nil, else returns v1 and v2.
func M2[T1, T2 any](v1 T1, v2 T2, err error) (T1, T2) {
	M(err)
	return v1, v2
}

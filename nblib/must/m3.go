package must

// M3 panics with err when it is not nil, else returns v1, v2 and v3 (a figure with its width and
// height, for example).
func M3[T1, T2, T3 any](v1 T1, v2 T2, v3 T3, err error) (T1, T2, T3) {
	M(err)
	return v1, v2, v3
}

package backend_test

import (
	"fmt"

	"github.com/netdiffus/netdiffus/nblib/backend"
)

// Choose says which backend New would open, and why, without opening it.
func ExampleChoose() {
	choice, err := backend.Choose()
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(choice.Kind != "")
	// Output: true
}

// New opens the backend; Check proves it can train a conv layer.
func ExampleNew() {
	b, choice, err := backend.New()
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	_ = choice // print it in a notebook: "backend onnx (...): ONNX Runtime on CPU"
	res, err := backend.Check(b, 3)
	fmt.Println(err == nil && res.LossLast < res.LossFirst)
	// Output: true
}

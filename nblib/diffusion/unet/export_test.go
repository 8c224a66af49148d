package unet

// TwinModels exports the test models (models_test.go) to the external tests, by preset name.
var TwinModels = map[string]NetConfig{"unet32": model32(3).Net, "unet64": model64(3).Net, "unet128": model128(3).Net}

package synth_test

import (
	"fmt"

	"github.com/netdiffus/netdiffus/nblib/traffic/synth"
)

func ExampleSpeakers() {
	ds := synth.Speakers(synth.SpeakerConfig{TracesPerCommand: 2, Length: 300, Noise: 1}, 42)
	google := ds.Filter("google")
	fmt.Println(len(ds.Classes), "classes;", len(google.Traces), "google traces; first class", google.Classes[0])
	// Output: 20 classes; 20 google traces; first class google-alarm
}

func ExampleVideo() {
	ds := synth.Video(synth.VideoConfig{Videos: 2, TracesPerVideo: 1, Duration: 180, Bin: 0.25, Noise: 1}, 1)
	fmt.Println(ds.Classes, ds.Default)
	// Output: [youtube-v01 youtube-v02 stan-v01 stan-v02 netflix-v01 netflix-v02] bytes/0.25s/down x720
}

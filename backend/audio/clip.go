package audio

// Clip is decoded mono audio: samples in [-1, 1] at SampleRate Hz.
// TTS providers return one Clip per line.
type Clip struct {
	SampleRate int
	Samples    []float32
}

// Duration returns the clip's length in seconds.
func (c Clip) Duration() float64 {
	if c.SampleRate == 0 {
		return 0
	}
	return float64(len(c.Samples)) / float64(c.SampleRate)
}

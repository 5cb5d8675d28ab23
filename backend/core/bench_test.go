package core

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"podcastfy/backend/audio"
	"podcastfy/backend/events"
	"podcastfy/backend/llm"
	"podcastfy/backend/llm/ollamatest"
	"podcastfy/backend/script"
	"podcastfy/backend/tts"
)

// pacedSynth is a neural-voice stand-in: it speaks at 150 words a minute
// and takes 1/speed of the audio's length to do it (speed 5: five times
// real time, as Kokoro on a CPU).
type pacedSynth struct{ speed float64 }

func (p pacedSynth) Name() string { return "espeak" }

func (p pacedSynth) Synthesize(ctx context.Context, r tts.Request) (audio.Clip, error) {
	const rate = 24000
	seconds := float64(len(strings.Fields(r.Text))) / 2.5
	if p.speed > 0 {
		select {
		case <-time.After(time.Duration(seconds / p.speed * float64(time.Second))):
		case <-ctx.Done():
			return audio.Clip{}, ctx.Err()
		}
	}
	s := make([]float32, int(seconds*rate))
	for i := range s {
		// a voice-like tone with a syllable rhythm
		env := 0.5 + 0.5*math.Sin(2*math.Pi*4*float64(i)/rate)
		s[i] = float32(0.3 * env * math.Sin(2*math.Pi*180*float64(i)/rate))
	}
	return audio.Clip{SampleRate: rate, Samples: s}, nil
}

func (p pacedSynth) Voices(context.Context) ([]tts.Voice, error) { return nil, nil }
func (p pacedSynth) Health(context.Context) error                { return nil }

// benchEpisode is chapters×10 distinct lines of 26 words (about ten
// seconds of speech each).
func benchEpisode(chapters int) script.Script {
	sc := script.Script{Title: "Rivers", Summary: "A long talk about rivers."}
	words := strings.Fields("river valley sediment delta flood plain canyon erosion water stone boulder silt wetland dam engineer farmer season harvest channel current estuary marsh")
	for c := range chapters {
		ch := script.Chapter{Title: fmt.Sprintf("Part %d", c+1)}
		for i := range 10 {
			var ws []string
			for k := range 24 {
				ws = append(ws, words[(c*31+i*7+k*k)%len(words)])
			}
			ch.Lines = append(ch.Lines, script.Line{Speaker: []string{"Alex", "Sam"}[i%2], Text: fmt.Sprintf("Part %d line %d: %s.", c+1, i+1, strings.Join(ws, " "))})
		}
		sc.Chapters = append(sc.Chapters, ch)
	}
	return sc
}

// firstAudio runs one job and returns when its first audio was playable,
// measured from the start.
func firstAudio(b *testing.B, w llm.Writer, synth tts.Synthesizer, minutes float64) (first, whole time.Duration) {
	b.Helper()
	h := newHarness(b, writerSource{w}, staticSource{synth})
	sig := make(audioSignal, 4)
	deps := h.deps
	deps.Emitter = events.Multi{h.rec, sig}
	svc, err := NewService(h.cfg, deps)
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Shutdown(context.Background())
	h.svc = svc
	start := time.Now()
	st, err := svc.Start(context.Background(), Request{Owner: "u", Text: riverText, Writer: w.Name(), Minutes: minutes})
	if err != nil {
		b.Fatal(err)
	}
	<-sig
	first = time.Since(start)
	if end := h.wait(b, st.ID); end.State != Done {
		b.Fatalf("job ended %s: %s", end.State, end.Error)
	}
	return first, time.Since(start)
}

// firstLineDone matches the first complete line object of a section
// answer as the fake streams it.
var firstLineDone = regexp.MustCompile(`\{"speaker":"[^"]*","text":"(?:[^"\\]|\\.)*"\}`)

// pacedOllama is the real Ollama writer against the fake server writing
// about 20 tokens a second (chunks of four characters, a token's worth of
// English, every 50 ms). firstLine reports when the first section's first
// line was complete in the stream.
func pacedOllama(b *testing.B) (llm.Writer, func() time.Time) {
	srv := ollamatest.New("llama3.2")
	b.Cleanup(srv.Close)
	srv.SetChunkRunes(4)
	srv.SetPace(50 * time.Millisecond)
	var mu sync.Mutex
	var at time.Time
	srv.OnChunk(func(chat int, sent string) {
		// Request 1 is the outline, 2 the first section.
		if chat == 2 {
			mu.Lock()
			if at.IsZero() && firstLineDone.MatchString(sent) {
				at = time.Now()
			}
			mu.Unlock()
		}
	})
	w, err := llm.NewOllama(llm.OllamaConfig{Host: srv.URL}, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(w.Close)
	return w, func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return at
	}
}

// BenchmarkFirstAudio prints how soon a job can be listened to: with a
// TTS that speaks five times faster than real time (the script already
// written), and with the Ollama writer against a model streaming 20 tokens
// a second (fast TTS), against when the first line was complete in the
// model's stream.
func BenchmarkFirstAudio(b *testing.B) {
	for range b.N {
		sc := benchEpisode(4)
		lineSecs := float64(len(strings.Fields(sc.Chapters[0].Lines[0].Text))) / 2.5
		first, whole := firstAudio(b, &scriptedWriter{script: sc}, pacedSynth{speed: 5}, 0)
		fmt.Printf("\nfirst audio, TTS at 5× real time, 40 lines (%.0f s of speech each): %.2f s after the start (the first line alone takes %.2f s to speak at 5×); whole job %.1f s\n",
			lineSecs, first.Seconds(), lineSecs/5, whole.Seconds())
		b.ReportMetric(first.Seconds(), "first-audio-tts5x-s")

		w, firstLine := pacedOllama(b)
		start := time.Now()
		first, whole = firstAudio(b, w, pacedSynth{}, 1.5)
		sinceLine := first - firstLine().Sub(start)
		fmt.Printf("first audio, Ollama writer streaming 20 tokens/s: %.2f s after the start (outline first), %.2f s after the first line was complete in the stream (target ≤ 2 s); whole job %.1f s\n",
			first.Seconds(), sinceLine.Seconds(), whole.Seconds())
		b.ReportMetric(sinceLine.Seconds(), "first-audio-after-line-s")
	}
}

package providers

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"podcastfy/backend/audio"
	"podcastfy/backend/tts"
)

// These tests run the real espeak-ng (Debian package espeak-ng).

const sentence = "The quick brown fox jumps over the lazy dog, and then it runs away into the forest."

func newESpeak(t *testing.T) *ESpeak {
	t.Helper()
	return NewESpeak(ESpeakConfig{}, testLog(t))
}

func speak(t *testing.T, e *ESpeak, req tts.Request) audio.Clip {
	t.Helper()
	clip, err := e.Synthesize(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return clip
}

func TestESpeakVoices(t *testing.T) {
	vs, err := newESpeak(t).Voices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) < 50 {
		t.Errorf("only %d voices", len(vs))
	}
	i := slices.IndexFunc(vs, func(v tts.Voice) bool { return v.ID == "en-us" })
	if i < 0 || vs[i].Name != "English (America)" || vs[i].Language != "en-us" || vs[i].Gender != "male" {
		t.Errorf("en-us = %+v", vs)
	}
	vars, err := newESpeak(t).Variants(context.Background())
	if err != nil || !slices.ContainsFunc(vars, func(v tts.Voice) bool { return v.ID == "f3" && v.Gender == "female" }) {
		t.Errorf("variants lack f3: %v, %v", vars, err)
	}
}

func TestESpeakSynthesize(t *testing.T) {
	clip := speak(t, newESpeak(t), tts.Request{Text: sentence, Voice: "en-us"})
	if clip.SampleRate != 22050 {
		t.Errorf("rate = %d, want 22050", clip.SampleRate)
	}
	// 17 words at 175 wpm is about 5.8 s of speech; allow espeak's pauses.
	if d := clip.Duration(); d < 3.5 || d > 9 {
		t.Errorf("duration = %.2f s, want 3.5–9 s", d)
	}
	if rms(clip.Samples) < 0.01 {
		t.Errorf("audio is silent (rms %.4f)", rms(clip.Samples))
	}
}

func TestESpeakSpeed(t *testing.T) {
	e := newESpeak(t)
	normal := speak(t, e, tts.Request{Text: sentence, Voice: "en-us", Speed: 1}).Duration()
	fast := speak(t, e, tts.Request{Text: sentence, Voice: "en-us", Speed: 2}).Duration()
	slow := speak(t, e, tts.Request{Text: sentence, Voice: "en-us", Speed: 0.6}).Duration()
	if fast > 0.7*normal || slow < 1.3*normal {
		t.Errorf("durations: slow %.2f, normal %.2f, fast %.2f s; want clearly ordered", slow, normal, fast)
	}
}

func TestESpeakPitchAndVariant(t *testing.T) {
	e := newESpeak(t)
	low := medianF0(speak(t, e, tts.Request{Text: sentence, Voice: "en-us", Pitch: 15}))
	high := medianF0(speak(t, e, tts.Request{Text: sentence, Voice: "en-us", Pitch: 90}))
	t.Logf("median F0: pitch 15 %.0f Hz, pitch 90 %.0f Hz", low, high)
	if high < 1.2*low {
		t.Errorf("pitch 90 gives %.0f Hz, pitch 15 gives %.0f Hz; want clearly higher", high, low)
	}
	male := medianF0(speak(t, e, tts.Request{Text: sentence, Voice: "en-us"}))
	female := speak(t, e, tts.Request{Text: sentence, Voice: "en-us+f3"})
	f := medianF0(female)
	t.Logf("median F0: en-us %.0f Hz, en-us+f3 %.0f Hz", male, f)
	if f < 1.3*male {
		t.Errorf("en-us+f3 speaks at %.0f Hz, en-us at %.0f Hz; want the female variant higher", f, male)
	}
	upper := speak(t, e, tts.Request{Text: sentence, Voice: "EN-US+F3"})
	if !slices.Equal(upper.Samples, female.Samples) {
		t.Error("EN-US+F3 did not resolve to en-us+f3 (espeak-ng ignores a variant with the wrong case)")
	}
}

func TestESpeakLanguage(t *testing.T) {
	e := newESpeak(t)
	fr := speak(t, e, tts.Request{Text: "Bonjour tout le monde, comment allez-vous ?", Language: "fr-FR"})
	if fr.Duration() < 1 {
		t.Errorf("French line lasts %.2f s", fr.Duration())
	}
	zh := speak(t, e, tts.Request{Text: "你好，世界。", Voice: "cmn"})
	if zh.Duration() < 0.5 {
		t.Errorf("Mandarin line lasts %.2f s", zh.Duration())
	}
}

func TestESpeakErrors(t *testing.T) {
	tests := map[string]struct {
		cfg     ESpeakConfig
		req     tts.Request
		wantErr []string
	}{
		"unknown voice": {req: tts.Request{Text: "Hi.", Voice: "en-uss"},
			wantErr: []string{`espeak TTS (voice "en-uss"): espeak-ng has no voice or language "en-uss" (did you mean "en-us"`}},
		"unknown variant": {req: tts.Request{Text: "Hi.", Voice: "en-us+zz"},
			wantErr: []string{`no voice variant "zz"`}},
		"language the voice cannot speak": {req: tts.Request{Text: "Guten Tag.", Voice: "en-us", Language: "de"},
			wantErr: []string{`not the requested language "de"; use a de voice such as "de"`}},
		"text in a script the voice cannot read": {req: tts.Request{Text: "你好，世界。今天天气很好。", Voice: "en-us"},
			wantErr: []string{`(voice "en-us"): the text is written in Chinese (Han) script`, `such as "cmn"`}},
		"language espeak cannot speak": {req: tts.Request{Text: "nuqneH", Language: "tlh"},
			wantErr: []string{`espeak-ng has no voice for language "tlh"`}},
		"empty text":         {req: tts.Request{Text: "  "}, wantErr: []string{"no text to speak"}},
		"pitch too high":     {req: tts.Request{Text: "Hi.", Pitch: 120}, wantErr: []string{"pitch 120 is out of range"}},
		"binary missing":     {cfg: ESpeakConfig{Binary: "/nonexistent/espeak-ng"}, req: tts.Request{Text: "Hi."}, wantErr: []string{"install the Debian package espeak-ng"}},
		"binary not on PATH": {cfg: ESpeakConfig{Binary: "espeak-ng-missing-for-test"}, req: tts.Request{Text: "Hi."}, wantErr: []string{"espeak-ng is not installed", "apt install espeak-ng"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := NewESpeak(tc.cfg, testLog(t)).Synthesize(context.Background(), tc.req)
			if err == nil {
				t.Fatal("no error")
			}
			t.Logf("error: %v", err)
			for _, s := range tc.wantErr {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q lacks %q", err, s)
				}
			}
			if tts.Retryable(err) {
				t.Error("a local error must not be retryable")
			}
		})
	}
}

func TestESpeakHealthWithoutBinary(t *testing.T) {
	err := NewESpeak(ESpeakConfig{Binary: "/nonexistent/espeak-ng"}, nil).Health(context.Background())
	if err == nil || !strings.Contains(err.Error(), "espeak-ng") {
		t.Errorf("Health = %v", err)
	}
	if err := newESpeak(t).Health(context.Background()); err != nil {
		t.Errorf("Health = %v", err)
	}
}

func TestESpeakCancelKillsProcess(t *testing.T) {
	e := newESpeak(t)
	if err := e.Health(context.Background()); err != nil { // list voices first
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := e.Synthesize(ctx, tts.Request{Text: strings.Repeat(sentence+" ", 500), Voice: "en-us"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	// Synthesize waited for the killed process: no child is left to reap.
	var ws syscall.WaitStatus
	if pid, werr := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil); !errors.Is(werr, syscall.ECHILD) {
		t.Errorf("Wait4 = %d, %v; want ECHILD (a child process was left behind)", pid, werr)
	}
}

func rms(s []float32) float64 {
	var sum float64
	for _, v := range s {
		sum += float64(v) * float64(v)
	}
	return math.Sqrt(sum / float64(max(1, len(s))))
}

// medianF0 estimates the median fundamental frequency of the voiced parts
// of a clip by autocorrelation over 40 ms frames.
func medianF0(c audio.Clip) float64 {
	frame := c.SampleRate * 40 / 1000
	minLag, maxLag := c.SampleRate/400, c.SampleRate/60
	loud := 0.5 * rms(c.Samples)
	var f0s []float64
	for start := 0; start+frame+maxLag < len(c.Samples); start += frame {
		x := c.Samples[start : start+frame+maxLag]
		if rms(x[:frame]) < loud {
			continue
		}
		bestLag, best := 0, 0.0
		for lag := minLag; lag <= maxLag; lag++ {
			var num, e1, e2 float64
			for i := 0; i < frame; i++ {
				a, b := float64(x[i]), float64(x[i+lag])
				num += a * b
				e1 += a * a
				e2 += b * b
			}
			if r := num / math.Sqrt(e1*e2+1e-12); r > best {
				best, bestLag = r, lag
			}
		}
		if best > 0.6 {
			f0s = append(f0s, float64(c.SampleRate)/float64(bestLag))
		}
	}
	if len(f0s) == 0 {
		return 0
	}
	slices.Sort(f0s)
	return f0s[len(f0s)/2]
}

package asr_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"podcastfy/backend/asr"
	"podcastfy/backend/asr/asrtest"
)

func TestHealth(t *testing.T) {
	cpp := asrtest.NewWhisperCpp(t, asrtest.Config{})
	down := closedURL(t)
	tests := []struct {
		name     string
		provider string
		url      string
		cfg      *asrtest.Config // nil: use url
		is       error
		contains string
	}{
		{"whisper-asr ok", asr.ProviderWhisperASR, "", &asrtest.Config{}, nil, ""},
		{"openai ok", asr.ProviderOpenAI, "", &asrtest.Config{}, nil, ""},
		{"whisper.cpp ok", asr.ProviderWhisperCpp, "", &asrtest.Config{}, nil, ""},
		{"whisper.cpp loading", asr.ProviderWhisperCpp, "", &asrtest.Config{Loading: true}, asr.ErrRejected, "loading model"},
		{"openai model missing", asr.ProviderOpenAI, "", &asrtest.Config{Models: []string{"Systran/faster-whisper-small"}}, nil,
			`"whisper-1" is not installed`},
		{"openai key missing", asr.ProviderOpenAI, "", &asrtest.Config{APIKey: "k"}, asr.ErrRejected, "403"},
		{"whisper-asr pointed at whisper.cpp", asr.ProviderWhisperASR, cpp.URL, nil, asr.ErrRejected, "404"},
		{"whisper-asr down", asr.ProviderWhisperASR, down, nil, asr.ErrUnavailable, "not reachable at " + down},
		{"whisper.cpp down", asr.ProviderWhisperCpp, down, nil, asr.ErrUnavailable, "not reachable"},
		{"openai down", asr.ProviderOpenAI, down, nil, asr.ErrUnavailable, "not reachable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := tt.url
			if tt.cfg != nil {
				url = fakeFor(t, tt.provider, *tt.cfg).URL
			}
			err := newTranscriber(t, tt.provider, url).Health(context.Background())
			if tt.contains == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.contains) || tt.is != nil && !errors.Is(err, tt.is) {
				t.Fatalf("err = %v, want %v containing %q", err, tt.is, tt.contains)
			}
		})
	}
}

// TestWrongServer: a server that answers 200 with something else is named
// as the wrong kind, for health and for transcription.
func TestWrongServer(t *testing.T) {
	wav := clips(t)["wav"]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body>It works!</body></html>"))
	}))
	t.Cleanup(srv.Close)
	for _, p := range providers {
		tr := newTranscriber(t, p, srv.URL)
		if err := tr.Health(context.Background()); err == nil || !strings.Contains(err.Error(), srv.URL) {
			t.Errorf("%s Health = %v", p, err)
		}
		_, err := tr.Transcribe(context.Background(), "a.wav", bytes.NewReader(wav), int64(len(wav)), asr.Options{})
		if !errors.Is(err, asr.ErrBadResponse) || !strings.Contains(err.Error(), "provider type") {
			t.Errorf("%s Transcribe = %v", p, err)
		}
	}
}

func TestTimeoutScaledToDuration(t *testing.T) {
	wav := clips(t)["wav"]
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	for _, p := range providers {
		t.Run(p, func(t *testing.T) {
			fake := fakeFor(t, p, asrtest.Config{Hold: release})
			tr := newTranscriber(t, p, fake.URL)
			var asked float64
			asr.SetBudget(tr, func(seconds float64) time.Duration {
				asked = seconds
				return 200 * time.Millisecond
			})
			_, err := tr.Transcribe(context.Background(), "a.wav", bytes.NewReader(wav), int64(len(wav)), asr.Options{})
			want := fmt.Sprintf("did not finish transcribing about %.0fs of audio within 200ms", wavSeconds(wav))
			if !errors.Is(err, asr.ErrTimeout) || !strings.Contains(err.Error(), want) {
				t.Fatalf("err = %v", err)
			}
			if real := wavSeconds(wav); asked < real-0.01 || asked > real+0.01 {
				t.Errorf("the budget was asked for %.2fs, the audio is %.2fs", asked, real)
			}
		})
	}
}

func TestCancel(t *testing.T) {
	wav := clips(t)["wav"]
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	fake := asrtest.NewWhisperCpp(t, asrtest.Config{Hold: release})
	tr := newTranscriber(t, asr.ProviderWhisperCpp, fake.URL)
	ctx, cancel := context.WithCancel(context.Background())
	opts := asr.Options{Progress: func(p asr.Progress) {
		if p.Stage == asr.StageTranscribing {
			cancel()
		}
	}}
	_, err := tr.Transcribe(ctx, "a.wav", bytes.NewReader(wav), int64(len(wav)), opts)
	if !errors.Is(err, context.Canceled) || errors.Is(err, asr.ErrTimeout) || errors.Is(err, asr.ErrUnavailable) {
		t.Fatalf("err = %v, want context.Canceled only", err)
	}
}

func TestProgress(t *testing.T) {
	// Two megabytes of silence make many reads, so throttling shows.
	wav := silence(2 << 20)
	fake := asrtest.NewOpenAI(t, asrtest.Config{})
	var got []asr.Progress
	opts := asr.Options{Progress: func(p asr.Progress) { got = append(got, p) }}
	if _, err := newTranscriber(t, asr.ProviderOpenAI, fake.URL).
		Transcribe(context.Background(), "quiet.wav", bytes.NewReader(wav), int64(len(wav)), opts); err != nil {
		t.Fatal(err)
	}
	if len(got) < 4 || len(got) > 110 {
		t.Fatalf("%d progress reports, want a handful up to ~100: %v", len(got), got)
	}
	if got[0] != (asr.Progress{Stage: asr.StageUploading, Sent: 0, Total: int64(len(wav))}) {
		t.Errorf("first report %+v", got[0])
	}
	tail := got[len(got)-3:]
	want := []asr.Progress{
		{Stage: asr.StageUploading, Sent: int64(len(wav)), Total: int64(len(wav))},
		{Stage: asr.StageTranscribing, Sent: int64(len(wav)), Total: int64(len(wav))},
		{Stage: asr.StageDone, Sent: int64(len(wav)), Total: int64(len(wav))},
	}
	for i := range want {
		if tail[i] != want[i] {
			t.Errorf("report %d from the end = %+v, want %+v", 3-i, tail[i], want[i])
		}
	}
	for i := 1; i < len(got); i++ {
		if got[i].Sent < got[i-1].Sent {
			t.Fatalf("Sent went backwards: %v", got)
		}
	}
}

// silence returns a 16 kHz mono 16-bit WAV of n data bytes.
func silence(n int) []byte {
	var b bytes.Buffer
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(36+n))
	b.WriteString("WAVEfmt ")
	binary.Write(&b, binary.LittleEndian, []any{uint32(16), uint16(1), uint16(1), uint32(16000), uint32(32000), uint16(2), uint16(16)})
	b.WriteString("data")
	binary.Write(&b, binary.LittleEndian, uint32(n))
	b.Write(make([]byte, n))
	return b.Bytes()
}

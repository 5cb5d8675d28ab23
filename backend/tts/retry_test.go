package tts_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"podcastfy/backend/audio"
	"podcastfy/backend/tts"
	"podcastfy/backend/tts/ttstest"
)

var fast = tts.RetryPolicy{Attempts: 3, Initial: time.Millisecond, Max: 2 * time.Millisecond}

func TestWithRetry(t *testing.T) {
	server500 := &tts.ProviderError{Provider: "fake", Status: 500, Reason: "boom", Retryable: true}
	bad400 := &tts.ProviderError{Provider: "fake", Status: 400, Reason: "bad voice"}
	refused := fmt.Errorf("dial: %w", syscall.ECONNREFUSED)
	tests := map[string]struct {
		errs      []error
		wantCalls int
		wantErr   error // nil: success
	}{
		"success first time":        {nil, 1, nil},
		"5xx then success":          {[]error{server500}, 2, nil},
		"connection refused twice":  {[]error{refused, refused}, 3, nil},
		"4xx is not retried":        {[]error{bad400}, 1, bad400},
		"gives up after attempts":   {[]error{server500, server500, server500, server500}, 3, server500},
		"5xx then 4xx stops at 4xx": {[]error{server500, bad400}, 2, bad400},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			f := &ttstest.Synth{}
			f.Fail(tc.errs...)
			clip, err := tts.WithRetry(f, fast).Synthesize(context.Background(), tts.Request{Text: "hello"})
			if got := len(f.Calls()); got != tc.wantCalls {
				t.Errorf("calls = %d, want %d", got, tc.wantCalls)
			}
			if tc.wantErr == nil {
				if err != nil || clip.Duration() == 0 {
					t.Fatalf("got %v seconds, err %v; want audio", clip.Duration(), err)
				}
				return
			}
			if !errors.Is(err, tc.wantErr) {
				t.Errorf("err = %v, want %v", err, tc.wantErr)
			}
		})
	}
}

// calledSynth reports each call on a channel.
type calledSynth struct {
	*ttstest.Synth
	called chan struct{}
}

func (c calledSynth) Synthesize(ctx context.Context, r tts.Request) (audio.Clip, error) {
	defer func() { c.called <- struct{}{} }()
	return c.Synth.Synthesize(ctx, r)
}

func TestWithRetryStopsOnCancel(t *testing.T) {
	f := calledSynth{&ttstest.Synth{}, make(chan struct{}, 10)}
	server500 := &tts.ProviderError{Provider: "fake", Status: 500, Reason: "boom", Retryable: true}
	f.Fail(server500, server500)
	ctx, cancel := context.WithCancel(context.Background())
	slow := tts.RetryPolicy{Attempts: 5, Initial: time.Hour, Max: time.Hour}
	done := make(chan error, 1)
	go func() {
		_, err := tts.WithRetry(f, slow).Synthesize(ctx, tts.Request{Text: "hello"})
		done <- err
	}()
	<-f.called // the first attempt failed; the retry now waits an hour
	cancel()
	err := <-done
	if !errors.Is(err, context.Canceled) || !errors.Is(err, server500) {
		t.Errorf("err = %v, want both the last failure and context.Canceled", err)
	}
	if got := len(f.Calls()); got != 1 {
		t.Errorf("calls = %d, want 1", got)
	}
}

func TestWithRetryVoicesAndName(t *testing.T) {
	f := &ttstest.Synth{Provider: "piper", VoiceList: []tts.Voice{{ID: "a"}}}
	s := tts.WithRetry(f, fast)
	if s.Name() != "piper" {
		t.Errorf("Name = %q", s.Name())
	}
	vs, err := s.Voices(context.Background())
	if err != nil || len(vs) != 1 || vs[0].ID != "a" {
		t.Errorf("Voices = %v, %v", vs, err)
	}
}

func TestRetryable(t *testing.T) {
	tests := map[string]struct {
		err  error
		want bool
	}{
		"nil":                 {nil, false},
		"canceled":            {context.Canceled, false},
		"deadline":            {context.DeadlineExceeded, false},
		"refused":             {fmt.Errorf("x: %w", syscall.ECONNREFUSED), true},
		"reset":               {syscall.ECONNRESET, true},
		"unexpected EOF":      {io.ErrUnexpectedEOF, true},
		"net error":           {&net.OpError{Op: "dial", Err: errors.New("no route")}, true},
		"plain":               {errors.New("espeak-ng failed"), false},
		"retryable provider":  {&tts.ProviderError{Retryable: true}, true},
		"permanent provider":  {&tts.ProviderError{Status: 404}, false},
		"provider wraps ctx":  {&tts.ProviderError{Err: context.Canceled, Retryable: true}, false},
		"provider wraps dial": {&tts.ProviderError{Err: syscall.ECONNREFUSED}, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := tts.Retryable(tc.err); got != tc.want {
				t.Errorf("Retryable(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}

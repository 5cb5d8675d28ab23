package ingest

import (
	"errors"
	"testing"

	"podcastfy/backend/asr"
	"podcastfy/backend/asr/asrtest"
)

func TestCheckURL(t *testing.T) {
	remote, local := New(Options{BlockPrivateHosts: true}, nil), New(Options{}, nil)
	tests := map[string]struct {
		url               string
		remoteErr, anyErr error
	}{
		"private address": {url: "http://192.168.1.5/notes", remoteErr: ErrPrivateHost},
		"loopback":        {url: "http://127.0.0.1:8080/", remoteErr: ErrPrivateHost},
		"this computer":   {url: "http://localhost/page", remoteErr: ErrPrivateHost},
		"link-local":      {url: "http://[fe80::1]/", remoteErr: ErrPrivateHost},
		"public address":  {url: "https://93.184.215.14/"},
		"not a web page":  {url: "ftp://example.org/file", remoteErr: ErrScheme, anyErr: ErrScheme},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if err := remote.CheckURL(t.Context(), tc.url); !errors.Is(err, tc.remoteErr) || (tc.remoteErr == nil) != (err == nil) {
				t.Errorf("for a LAN request: %v, want %v", err, tc.remoteErr)
			}
			// The person at this machine may read its own network.
			if err := local.CheckURL(t.Context(), tc.url); !errors.Is(err, tc.anyErr) || (tc.anyErr == nil) != (err == nil) {
				t.Errorf("for the desktop: %v, want %v", err, tc.anyErr)
			}
		})
	}
}

func TestCheckTranscriber(t *testing.T) {
	if err := New(Options{}, nil).CheckTranscriber(t.Context()); !errors.Is(err, ErrNoASR) {
		t.Errorf("without a server: %v", err)
	}
	fake := asrtest.NewWhisperASR(t, asrtest.Config{})
	tr, err := asr.NewWhisperASR(fake.URL, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	in := New(Options{Transcriber: tr}, nil)
	if err := in.CheckTranscriber(t.Context()); err != nil {
		t.Errorf("with the server up: %v", err)
	}
	fake.Close()
	if err := in.CheckTranscriber(t.Context()); err == nil {
		t.Error("with the server down: no error")
	}
}

package player

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzLoad feeds the player files that are not quite MP3: loading and
// playing them must end in an error or in sound, never in a crash.
func FuzzLoad(f *testing.F) {
	path, _ := twoToneMP3(f)
	good, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)/3])                        // cut short
	f.Add(good[417:])                                // starts mid-frame
	f.Add([]byte("ID3\x04\x00\x00\x00\x00\x00\x0a")) // a tag and nothing else
	f.Add([]byte{0xff, 0xfb, 0x90, 0x64, 0x00})      // one frame header
	f.Add([]byte{})
	f.Add([]byte("RIFF$\x00\x00\x00WAVEfmt "))
	f.Fuzz(func(t *testing.T, data []byte) {
		file := filepath.Join(t.TempDir(), "in.mp3")
		if err := os.WriteFile(file, data, 0o600); err != nil {
			t.Fatal(err)
		}
		out := &fakeOutput{}
		p := New(nil, nil, Options{Output: out, Watchdog: time.Minute})
		defer p.Close()
		st, err := p.Load("fuzz", file)
		if err != nil {
			if st.State != StateError || st.Error == "" {
				t.Fatalf("failed load left %+v", st)
			}
			return
		}
		if st.Duration <= 0 {
			t.Fatalf("loaded with duration %v", st.Duration)
		}
		if _, err := p.Play(); err != nil {
			t.Fatal(err)
		}
		for range 200 {
			if !out.pull(4096) {
				break
			}
		}
		if _, err := p.Seek(st.Duration / 2); err != nil && p.Status().State != StateError {
			t.Fatalf("seek: %v", err)
		}
	})
}

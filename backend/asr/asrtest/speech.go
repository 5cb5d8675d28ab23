package asrtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Speech speaks text with espeak-ng (Debian package espeak-ng) and returns
// the WAV file: 22050 Hz, 16-bit mono, with exact header sizes. It fails the
// test when espeak-ng is missing.
func Speech(t testing.TB, text string) []byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "speech.wav")
	run(t, "espeak-ng", "-v", "en-us", "-w", out, text)
	return readFile(t, out)
}

// Encode converts a WAV file to another container with ffmpeg (Debian
// package ffmpeg): ext is "mp3", "ogg" (Vorbis), "flac", "m4a" (AAC) or
// "webm" (Opus). It fails the test when ffmpeg is missing or fails.
func Encode(t testing.TB, wav []byte, ext string) []byte {
	t.Helper()
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.wav"), filepath.Join(dir, "out."+ext)
	if err := os.WriteFile(in, wav, 0o600); err != nil {
		t.Fatal(err)
	}
	run(t, "ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i", in, out)
	return readFile(t, out)
}

func run(t testing.TB, name string, args ...string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s is needed for this test (apt-get install %s): %v", name, name, err)
	}
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

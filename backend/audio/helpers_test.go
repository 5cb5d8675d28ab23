package audio

import (
	"bytes"
	"encoding/json"
	"math"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// espeak synthesises text with the real espeak-ng (22050 Hz WAV on stdout,
// whose header sizes are placeholders) and decodes it.
func espeak(t testing.TB, voice, text string) Clip {
	t.Helper()
	cmd := exec.Command(tool(t, "espeak-ng"), "-v", voice, "-s", "165", "--stdout", text)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	wav, err := cmd.Output()
	if err != nil {
		t.Fatalf("espeak-ng: %v: %s", err, stderr.String())
	}
	clip, err := DecodeWAV(bytes.NewReader(wav))
	if err != nil {
		t.Fatalf("decoding espeak-ng output: %v", err)
	}
	return clip
}

// tool returns the path of a required external program, failing the test
// clearly when it is missing (the Makefile installs it).
func tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		pkg := name
		if name == "ffprobe" {
			pkg = "ffmpeg"
		}
		t.Fatalf("%s is required for this test (apt-get install %s): %v", name, pkg, err)
	}
	return p
}

// mp3valClean fails the test when mp3val finds anything wrong with the
// MP3's frames or its Info tag (it only notes that a file has no ID3v1 or
// APE tag, or an ID3v2 tag it does not read).
func mp3valClean(t testing.TB, path string) {
	t.Helper()
	out, err := exec.Command(tool(t, "mp3val"), path).CombinedOutput()
	if err != nil {
		t.Fatalf("mp3val: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if (strings.HasPrefix(line, "WARNING") || strings.HasPrefix(line, "ERROR")) && !strings.Contains(line, "No supported tags") {
			t.Errorf("mp3val: %s", line)
		}
	}
}

// ebur128 is ffmpeg's own measurement of a file: integrated loudness and
// true peak.
type ebur128Result struct{ I, TP float64 }

var (
	reIntegrated = regexp.MustCompile(`(?s)Summary:.*Integrated loudness:\s*I:\s*(-?[\d.]+|-inf) LUFS`)
	reTruePeak   = regexp.MustCompile(`(?s)Summary:.*True peak:\s*Peak:\s*(-?[\d.]+|-inf) dBFS`)
)

func ebur128(t testing.TB, path string) ebur128Result {
	t.Helper()
	cmd := exec.Command(tool(t, "ffmpeg"), "-hide_banner", "-nostats", "-i", path,
		"-filter_complex", "ebur128=peak=true", "-f", "null", "-")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("ffmpeg ebur128: %v\n%s", err, out)
	}
	parse := func(re *regexp.Regexp) float64 {
		m := re.FindSubmatch(out)
		if m == nil {
			t.Fatalf("ffmpeg ebur128 summary not found in:\n%s", out)
		}
		if string(m[1]) == "-inf" {
			return math.Inf(-1)
		}
		v, err := strconv.ParseFloat(string(m[1]), 64)
		if err != nil {
			t.Fatalf("parsing %q: %v", m[1], err)
		}
		return v
	}
	return ebur128Result{I: parse(reIntegrated), TP: parse(reTruePeak)}
}

// probe is the part of ffprobe's JSON the tests look at.
type probe struct {
	Format struct {
		Duration   string            `json:"duration"`
		StartTime  string            `json:"start_time"`
		FormatName string            `json:"format_name"`
		BitRate    string            `json:"bit_rate"`
		Tags       map[string]string `json:"tags"`
	} `json:"format"`
	Streams []struct {
		CodecName  string `json:"codec_name"`
		SampleRate string `json:"sample_rate"`
		Channels   int    `json:"channels"`
	} `json:"streams"`
	Chapters []struct {
		StartTime string            `json:"start_time"`
		EndTime   string            `json:"end_time"`
		Tags      map[string]string `json:"tags"`
	} `json:"chapters"`
}

func ffprobe(t testing.TB, path string) probe {
	t.Helper()
	out, err := exec.Command(tool(t, "ffprobe"), "-v", "error", "-show_chapters", "-show_format", "-show_streams", "-of", "json", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	var p probe
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatalf("ffprobe output: %v\n%s", err, out)
	}
	return p
}

func atof(t testing.TB, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("parsing %q: %v", s, err)
	}
	return v
}

// sine returns seconds of a sine at freq Hz with peak amplitude dBFS.
func sine(rate int, freq, dBFS, seconds float64) []float32 {
	a := math.Pow(10, dBFS/20)
	s := make([]float32, int(seconds*float64(rate)))
	for i := range s {
		s[i] = float32(a * math.Sin(2*math.Pi*freq*float64(i)/float64(rate)))
	}
	return s
}

// decodedSamples decodes an audio file with ffmpeg (gapless, as players
// do) and counts its samples.
func decodedSamples(t testing.TB, path string) int64 {
	t.Helper()
	out, err := exec.Command(tool(t, "ffmpeg"), "-v", "error", "-i", path, "-f", "s16le", "-ac", "1", "-").Output()
	if err != nil {
		t.Fatalf("ffmpeg decoding %s: %v", path, err)
	}
	return int64(len(out) / 2)
}

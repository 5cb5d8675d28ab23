package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"podcastfy/backend/llm/ollamatest"
	"podcastfy/backend/script"
)

// benchChildEnv marks the re-executed test binary that runs one generation,
// so the parent can time it and read its peak RSS.
const benchChildEnv = "PODCASTFY_BENCH_CHILD"

// TestMain runs the child process of BenchmarkEndToEnd when asked to (one
// generation, so the parent can time it and read its peak RSS), and the
// tests otherwise.
func TestMain(m *testing.M) {
	if args := os.Getenv(benchChildEnv); args != "" {
		os.Exit(Run(context.Background(), testProgram, append([]string{"podcastfy"}, strings.Split(args, "\x1f")...), os.Getenv, os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// benchWords are the words the benchmark's lines are made of: every line is
// different, so no cache can help either side.
var benchWords = strings.Fields(`river valley sediment delta flood plain canyon erosion water stone
boulder silt wetland dam engineer farmer season harvest channel current estuary marsh
meander tributary glacier rainfall drought reservoir levee bank shore`)

// benchScript is a dialogue of n distinct lines of about 26 words, some
// nine seconds of speech each.
func benchScript(n int) script.Script {
	sc := script.Script{Title: "Benchmark episode", Summary: "A long synthetic conversation about rivers."}
	speakers := []string{"Alex", "Sam"}
	for i := range n {
		if i%10 == 0 {
			sc.Chapters = append(sc.Chapters, script.Chapter{Title: fmt.Sprintf("Part %d", i/10+1)})
		}
		var words []string
		for k := range 24 {
			words = append(words, benchWords[(i*7+k*k+k*i)%len(benchWords)])
		}
		text := fmt.Sprintf("Line %d: the %s.", i+1, strings.Join(words, " "))
		ch := &sc.Chapters[len(sc.Chapters)-1]
		ch.Lines = append(ch.Lines, script.Line{Speaker: speakers[i%2], Text: text})
	}
	return sc
}

type childRun struct {
	wall   time.Duration
	maxRSS int64 // bytes
	audio  float64
}

// runOurs generates the script's podcast in a fresh child process against an
// instant fake Ollama, and returns its wall time and peak RSS.
func runOurs(b *testing.B, sc script.Script, minutes int) childRun {
	b.Helper()
	ollama := ollamatest.New("llama3.2")
	defer ollama.Close()
	content, err := json.Marshal(sc)
	if err != nil {
		b.Fatal(err)
	}
	ollama.Enqueue(ollamatest.Reply{Content: string(content)})
	home := b.TempDir()
	src := filepath.Join(home, "source.txt")
	if err := os.WriteFile(src, []byte(strings.Repeat("Rivers shape the land they cross. ", 40)), 0o600); err != nil {
		b.Fatal(err)
	}
	child := func(args ...string) *exec.Cmd {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), benchChildEnv+"="+strings.Join(args, "\x1f"),
			"PODCASTFY_HOME="+home, "PODCASTFY_BCRYPT_COST=4", "OLLAMA_HOST="+ollama.URL)
		return cmd
	}
	add := child("user", "add", "bench", "--password-stdin")
	add.Stdin = strings.NewReader("bench-password\n")
	if out, err := add.CombinedOutput(); err != nil {
		b.Fatalf("user add: %v\n%s", err, out)
	}
	gen := child("generate", "--text", src, "--writer", "ollama", "--template", "deep-dive",
		"--minutes", strconv.Itoa(minutes), "--json")
	start := time.Now()
	out, err := gen.Output()
	wall := time.Since(start)
	if err != nil {
		b.Fatalf("generate: %v\n%s", err, out)
	}
	var res struct{ Podcast struct{ Duration float64 } }
	if err := json.Unmarshal(out, &res); err != nil {
		b.Fatalf("generate output: %v\n%s", err, out)
	}
	rss := gen.ProcessState.SysUsage().(*syscall.Rusage).Maxrss * 1024
	return childRun{wall: wall, maxRSS: rss, audio: res.Podcast.Duration}
}

// benchLines writes each line of the script as its own WAV with
// espeak-ng, exactly as the naive pipeline does, on workers processes at
// once, and returns the files in line order.
func benchLines(b *testing.B, sc script.Script, dir string, workers int) []string {
	b.Helper()
	var texts []string
	for _, ch := range sc.Chapters {
		for _, l := range ch.Lines {
			texts = append(texts, l.Text)
		}
	}
	wavs := make([]string, len(texts))
	next := make(chan int)
	errs := make(chan error, workers)
	for range workers {
		go func() {
			var first error
			for i := range next {
				wavs[i] = filepath.Join(dir, fmt.Sprintf("%04d.wav", i))
				if out, err := exec.Command("espeak-ng", "-v", "en-us", "-w", wavs[i], texts[i]).CombinedOutput(); err != nil && first == nil {
					first = fmt.Errorf("espeak-ng: %v\n%s", err, out)
				}
			}
			errs <- first
		}()
	}
	for i := range texts {
		next <- i
	}
	close(next)
	for range workers {
		if err := <-errs; err != nil {
			b.Fatal(err)
		}
	}
	return wavs
}

func benchCommand(b *testing.B, name string, args ...string) {
	b.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		b.Fatalf("%s: %v\n%s", name, err, out)
	}
}

// runNaive is the naive pipeline exactly: espeak-ng for each line in turn,
// sox joining the WAVs, one ffmpeg loudnorm pass that encodes the MP3.
func runNaive(b *testing.B, sc script.Script) time.Duration {
	b.Helper()
	dir := b.TempDir()
	start := time.Now()
	wavs := benchLines(b, sc, dir, 1)
	all := filepath.Join(dir, "all.wav")
	benchCommand(b, "sox", append(wavs, all)...)
	benchCommand(b, "ffmpeg", "-v", "error", "-y", "-i", all, "-af", "loudnorm=I=-16:TP=-1:LRA=11",
		"-ar", "24000", "-ac", "1", "-b:a", "64k", filepath.Join(dir, "out.mp3"))
	return time.Since(start)
}

// runLimit measures what the machine cannot go below: espeak-ng on every
// CPU at once, and one MP3 encode of the result (joined beforehand,
// untimed) — with nothing else, not even loudness normalisation.
func runLimit(b *testing.B, sc script.Script) (synth, encode time.Duration) {
	b.Helper()
	dir := b.TempDir()
	start := time.Now()
	wavs := benchLines(b, sc, dir, runtime.NumCPU())
	synth = time.Since(start)
	all := filepath.Join(dir, "all.wav")
	benchCommand(b, "sox", append(wavs, all)...)
	start = time.Now()
	benchCommand(b, "ffmpeg", "-v", "error", "-y", "-i", all, "-ar", "24000", "-ac", "1", "-b:a", "64k", filepath.Join(dir, "out.mp3"))
	return synth, time.Since(start)
}

// BenchmarkEndToEnd prints, measured side by side in one run on the same
// 200-line script (about 30 minutes of audio; instant fake LLM, real
// espeak-ng): our wall time, the naive pipeline's (espeak-ng per line in
// turn, sox, one ffmpeg loudnorm encode) and the machine's limit (parallel
// espeak-ng plus one plain encode), with the ratios; and our peak RSS for a
// 60-minute podcast. Run it with -benchtime 1x.
func BenchmarkEndToEnd(b *testing.B) {
	for range b.N {
		sc := benchScript(200)
		ours := runOurs(b, sc, 30)
		naive := runNaive(b, sc)
		synth, encode := runLimit(b, sc)
		limit := synth + encode
		long := runOurs(b, benchScript(400), 60)
		ratio := ours.wall.Seconds() / naive.Seconds()
		vsLimit := ours.wall.Seconds() / limit.Seconds()
		fmt.Printf("\nend-to-end, 200 lines (%.1f min of audio): ours %.1f s, naive pipeline %.1f s, ratio %.2f (target ≤ 0.25)\n",
			ours.audio/60, ours.wall.Seconds(), naive.Seconds(), ratio)
		fmt.Printf("machine limit (espeak-ng on %d CPUs %.1f s + one MP3 encode %.1f s) %.1f s: ours is %.2f× it (target ≤ 1.5)\n",
			runtime.NumCPU(), synth.Seconds(), encode.Seconds(), limit.Seconds(), vsLimit)
		fmt.Printf("peak RSS, 400 lines (%.1f min of audio): %.1f MB (target < 100 MB); 30-min run: %.1f MB\n",
			long.audio/60, float64(long.maxRSS)/(1<<20), float64(ours.maxRSS)/(1<<20))
		b.ReportMetric(ours.wall.Seconds(), "ours-s")
		b.ReportMetric(naive.Seconds(), "naive-s")
		b.ReportMetric(limit.Seconds(), "limit-s")
		b.ReportMetric(ratio, "ratio")
		b.ReportMetric(vsLimit, "x-limit")
		b.ReportMetric(float64(long.maxRSS)/(1<<20), "peakRSS60-MB")
	}
}

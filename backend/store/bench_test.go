package store

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"podcastfy/backend/config"
	"podcastfy/templates"
)

const benchPodcasts = 10_000

// makeLibrary writes n podcasts straight to disk (no fsync, to keep set-up
// short), shaped like real ones: a 3 kB source text, five chapters, an
// audio and a transcript file. The files are dated a day back, like a
// library at rest, so their times are settled (see stampOf).
func makeLibrary(b testing.TB, n int) config.Paths {
	b.Helper()
	paths := testPaths(b)
	if err := paths.EnsureDirs(); err != nil {
		b.Fatal(err)
	}
	src := strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", 55)
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	dayAgo := time.Now().Add(-24 * time.Hour)
	for i := range n {
		id := fmt.Sprintf("pod%05d", i)
		text := fmt.Sprintf("Episode %d about topic %d. %s", i, i%97, src)
		p := Podcast{
			ID: id, Title: fmt.Sprintf("Episode %d: topic %d", i, i%97),
			Duration: 300, GeneratedDate: start.Add(time.Duration(i) * time.Minute), SourceText: &text,
			TemplateUsed: strp("deep-dive"), Owner: fmt.Sprintf("user%d", i%10), Status: "ready",
			Speakers: []string{"Alex", "Sam"}, Language: "en", Writer: "ollama:llama3.2", TTS: "espeak",
			Files: map[string]string{"audio": id + ".mp3", "vtt": id + ".vtt"}, Sizes: map[string]int64{"audio": 2_400_000, "vtt": 9000},
			AudioBytes: 2_400_000, Lines: 60, Words: 750,
		}
		for c := range 5 {
			p.Chapters = append(p.Chapters, ChapterMark{Title: fmt.Sprintf("Chapter %d", c), Start: float64(c * 60)})
		}
		data, err := json.MarshalIndent(p, "", "  ")
		if err != nil {
			b.Fatal(err)
		}
		dir := paths.PodcastsDir()
		for name, content := range map[string][]byte{id + ".json": data, id + ".mp3": []byte("ID3"), id + ".vtt": []byte("WEBVTT\n")} {
			if err := os.WriteFile(filepath.Join(dir, name), content, 0o600); err != nil {
				b.Fatal(err)
			}
			if err := os.Chtimes(filepath.Join(dir, name), dayAgo, dayAgo); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := os.Chtimes(paths.PodcastsDir(), dayAgo, dayAgo); err != nil {
		b.Fatal(err)
	}
	return paths
}

// BenchmarkStore10k measures a library of 10,000 podcasts: start-up,
// the wait for the index, listing, reading and writing.
func BenchmarkStore10k(b *testing.B) {
	paths := makeLibrary(b, benchPodcasts)
	log := slog.New(slog.DiscardHandler)
	var s *Store
	openStore := func(b *testing.B) *Store {
		s, err := Open(paths, templates.FS, log)
		if err != nil {
			b.Fatal(err)
		}
		return s
	}

	// Start-up: Open returns and a server can listen; the index is still
	// being built. The build is waited for off the clock, so that it does
	// not slow the next round.
	b.Run("open", func(b *testing.B) {
		for b.Loop() {
			started := openStore(b)
			b.StopTimer()
			if err := started.Podcasts().wait(); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/start-up")
	})
	// Open until the whole index is built: what the first request that
	// needs it waits at most.
	b.Run("open-until-index-ready", func(b *testing.B) {
		for b.Loop() {
			s = openStore(b)
			if err := s.Podcasts().wait(); err != nil {
				b.Fatal(err)
			}
		}
		if s.Podcasts().Count() != benchPodcasts {
			b.Fatalf("opened %d podcasts", s.Podcasts().Count())
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/index-ready")
		b.ReportMetric(float64(benchPodcasts*b.N)/b.Elapsed().Seconds(), "podcasts/s")
	})
	// Open until a first page of 50 is listed, as the app's first screen.
	b.Run("open-until-first-list", func(b *testing.B) {
		for b.Loop() {
			list, _, err := openStore(b).Podcasts().List(ListQuery{Limit: 50})
			if err != nil || len(list) != 50 {
				b.Fatalf("first list: %d podcasts, %v", len(list), err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/first-list")
	})
	if s == nil {
		s = open(b, paths)
	}
	ps := s.Podcasts()

	for name, q := range map[string]ListQuery{
		"list-all":         {},
		"list-page-50":     {Limit: 50},
		"list-owner":       {Owner: "user3"},
		"list-search-text": {Query: "topic 42."},
		"list-search-none": {Query: "no such words"},
	} {
		b.Run(name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				list, _, err := ps.List(q)
				if err != nil {
					b.Fatal(err)
				}
				n += len(list)
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "podcasts/s")
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/list")
		})
	}
	b.Run("list-walk-pages-of-100", func(b *testing.B) {
		for b.Loop() {
			q, seen := ListQuery{Limit: 100}, 0
			for {
				list, next, err := ps.List(q)
				if err != nil {
					b.Fatal(err)
				}
				seen += len(list)
				if next == "" {
					break
				}
				q.Cursor = next
			}
			if seen != benchPodcasts {
				b.Fatalf("walked %d", seen)
			}
		}
		b.ReportMetric(float64(benchPodcasts*b.N)/b.Elapsed().Seconds(), "podcasts/s")
	})
	b.Run("get", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if _, err := ps.Get(fmt.Sprintf("pod%05d", i%benchPodcasts)); err != nil {
				b.Fatal(err)
			}
			i++
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "gets/s")
	})
	b.Run("media-path", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if _, err := ps.MediaPath(fmt.Sprintf("pod%05d", i%benchPodcasts), KindAudio); err != nil {
				b.Fatal(err)
			}
			i++
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lookups/s")
	})
	// What one read pays after another process changed the folder: list
	// the names, stat every <id>.json, read none (nothing was replaced).
	b.Run("scan-after-change", func(b *testing.B) {
		for b.Loop() {
			ps.scanMu.Lock()
			err := ps.scan(time.Now())
			ps.scanMu.Unlock()
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/scan")
	})
	b.Run("update", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if _, err := ps.Update(fmt.Sprintf("pod%05d", i%benchPodcasts), func(p *Podcast) error {
				p.Title += "!"
				return nil
			}); err != nil {
				b.Fatal(err)
			}
			i++
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
	})
	b.Run("commit", func(b *testing.B) {
		audio := make([]byte, 64<<10)
		src := strings.Repeat("text ", 600)
		for b.Loop() {
			id := NewID()
			path, err := ps.StagePath(id, KindAudio, "mp3")
			if err == nil {
				err = os.WriteFile(path, audio, 0o600)
			}
			if err == nil {
				_, err = ps.Commit(Podcast{ID: id, Title: "new", SourceText: &src}, map[string]string{KindAudio: path})
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
	})
}

// BenchmarkUsersLookup measures a login's user lookup among 100 accounts:
// one stat of users.json to see whether another process changed it, then
// memory.
func BenchmarkUsersLookup(b *testing.B) {
	paths := testPaths(b)
	us := open(b, paths).Users()
	created := time.Now().Add(-time.Hour)
	for i := range 100 {
		if _, err := us.Create(User{Username: fmt.Sprintf("user%03d", i), PasswordHash: strings.Repeat("h", 60), CreatedAt: created}); err != nil {
			b.Fatal(err)
		}
	}
	dayAgo := time.Now().Add(-24 * time.Hour)
	if err := os.Chtimes(paths.UsersFile(), dayAgo, dayAgo); err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		if _, err := us.ByUsername(fmt.Sprintf("user%03d", i%100)); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1000, "µs/lookup")
}

package api

import (
	"context"
	crand "crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"podcastfy/backend/auth"
	"podcastfy/backend/config"
	"podcastfy/backend/core"
	"podcastfy/backend/library"
	"podcastfy/backend/store"
	"podcastfy/templates"
)

// Benchmark sizes.
const (
	benchPodcasts   = 10_000
	benchListers    = 8
	benchReaders    = 50
	benchRangeBytes = 1 << 20
	benchAudioBytes = 16 << 20
	benchDuration   = 3 * time.Second
	benchRounds     = 3
)

// BenchmarkLAN prints, side by side from one run on loopback: GET /podcasts
// with 10,000 podcasts in the library (requests per second, p50 and p99
// latency); audio streaming throughput for 50 concurrent Range readers,
// from podcastfy and from nginx serving the same file, with the ratio; and
// logins per second at the default bcrypt cost. It prints; it asserts
// nothing about speed.
func BenchmarkLAN(b *testing.B) {
	home := b.TempDir()
	paths := config.Paths{Config: home + "/config", Data: home + "/data", State: home + "/state", Cache: home + "/cache"}
	if err := paths.EnsureDirs(); err != nil {
		b.Fatal(err)
	}
	owner := store.NewID()
	if err := writeBenchLibrary(paths.PodcastsDir(), owner); err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(paths, templates.FS, nil)
	if err != nil {
		b.Fatal(err)
	}
	user, err := st.Users().Create(store.User{ID: owner, Username: "alice", PasswordHash: "x"})
	if err != nil {
		b.Fatal(err)
	}
	audioID, audioFile, err := commitBenchAudio(st.Podcasts(), owner)
	if err != nil {
		b.Fatal(err)
	}
	key := make([]byte, 32)
	crand.Read(key)
	as := auth.New(st.Users(), key, auth.Options{})
	if err := as.SetPassword(user.ID, password); err != nil {
		b.Fatal(err)
	}
	h := NewServer(Deps{
		Accounts: as, Users: st.Users(), Podcasts: st.Podcasts(), Library: library.New(st.Podcasts(), nil), Templates: st.Templates(), Jobs: noJobs{},
		Key: key, Log: slog.New(slog.DiscardHandler),
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128, DisableCompression: true}}

	sess, err := as.Login("alice", password, "bench")
	if err != nil {
		b.Fatal(err)
	}
	var v podcastJSON
	if err := getJSON(client, srv.URL+"/podcasts/"+audioID, sess.Token, &v); err != nil {
		b.Fatal(err)
	}

	nginxURL, stopNginx, err := startNginx(b.TempDir(), filepath.Dir(audioFile))
	if err != nil {
		b.Fatal(err)
	}
	defer stopNginx()

	b.ResetTimer()
	list := measure(benchListers, benchDuration, func() (int64, error) {
		return fetch(client, srv.URL+"/podcasts", sess.Token, "")
	})
	// The two servers take turns, so that a slower moment of the machine
	// does not land on one of them only.
	ours, theirs := &measurement{}, &measurement{}
	for range benchRounds {
		ours.add(measure(benchReaders, benchDuration/benchRounds, func() (int64, error) {
			return fetch(client, srv.URL+v.AudioURL, "", randomRange())
		}))
		theirs.add(measure(benchReaders, benchDuration/benchRounds, func() (int64, error) {
			return fetch(client, nginxURL+"/"+filepath.Base(audioFile), "", randomRange())
		}))
	}
	logins := measure(runtime.GOMAXPROCS(0), benchDuration, func() (int64, error) {
		_, err := as.Login("alice", password, "bench")
		return 0, err
	})
	b.StopTimer()
	for _, m := range []*measurement{list, ours, theirs, logins} {
		if m.err != nil {
			b.Fatal(m.err)
		}
	}
	ratio := ours.mbps() / theirs.mbps()
	b.ReportMetric(list.rps(), "list-req/s")
	b.ReportMetric(list.percentile(50).Seconds()*1000, "list-p50-ms")
	b.ReportMetric(list.percentile(99).Seconds()*1000, "list-p99-ms")
	b.ReportMetric(ours.mbps(), "audio-MB/s")
	b.ReportMetric(theirs.mbps(), "nginx-MB/s")
	b.ReportMetric(ratio, "audio/nginx")
	b.ReportMetric(logins.rps(), "logins/s")
	b.Logf("\nLAN API on loopback (GOMAXPROCS=%d, %s per measurement)\n"+
		"  GET /podcasts, %d podcasts, 50 per page, %d clients: %8.0f req/s   p50 %6.2f ms   p99 %6.2f ms\n"+
		"  audio, %d concurrent Range readers (%d KiB ranges of a %d MiB MP3, servers taking turns):\n"+
		"      podcastfy %8.0f MB/s   nginx %8.0f MB/s   ratio %.2f (target >= 0.80)\n"+
		"  POST /auth/login at bcrypt cost %d: %.1f logins/s",
		runtime.GOMAXPROCS(0), benchDuration,
		benchPodcasts, benchListers, list.rps(), list.percentile(50).Seconds()*1000, list.percentile(99).Seconds()*1000,
		benchReaders, benchRangeBytes>>10, benchAudioBytes>>20, ours.mbps(), theirs.mbps(), ratio,
		auth.DefaultBcryptCost, logins.rps())
}

// writeBenchLibrary writes the metadata of benchPodcasts podcasts straight
// into the folder (the store reads them at Open), each listing every media
// kind so that list answers carry their signed URLs.
func writeBenchLibrary(dir, owner string) error {
	start := time.Now().Add(-benchPodcasts * time.Minute).UTC()
	for i := range benchPodcasts {
		id := store.NewID()
		text := fmt.Sprintf("Podcast number %d about rivers, deltas and sediment.", i)
		tpl := "deep-dive"
		p := store.Podcast{
			ID: id, Title: fmt.Sprintf("Episode %d", i), Duration: 300,
			GeneratedDate: start.Add(time.Duration(i) * time.Minute), SourceText: &text, TemplateUsed: &tpl,
			Owner: owner, Status: "ready", Summary: "A summary", Speakers: []string{"Alex", "Sam"}, Language: "en",
			Chapters: []store.ChapterMark{{Title: "Intro", Start: 0}}, Writer: "extractive", TTS: "espeak",
			Files: map[string]string{
				store.KindAudio: id + ".mp3", store.KindVTT: id + ".vtt", store.KindSRT: id + ".srt",
				store.KindChapters: id + ".chapters.json", store.KindScript: id + ".script.json",
			},
			AudioBytes: 2_400_000, Lines: 40, Words: 700,
		}
		data, err := json.Marshal(p)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, id+".json"), data, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// commitBenchAudio adds one podcast with a benchAudioBytes MP3 (random
// bytes: neither server looks inside).
func commitBenchAudio(pods *store.Podcasts, owner string) (id, path string, err error) {
	id = store.NewID()
	staged, err := pods.StagePath(id, store.KindAudio, "")
	if err != nil {
		return "", "", err
	}
	data := make([]byte, benchAudioBytes)
	crand.Read(data)
	if err := os.WriteFile(staged, data, 0o600); err != nil {
		return "", "", err
	}
	if _, err := pods.Commit(store.Podcast{ID: id, Title: "Big", Owner: owner}, map[string]string{store.KindAudio: staged}); err != nil {
		return "", "", err
	}
	path, err = pods.MediaPath(id, store.KindAudio)
	return id, path, err
}

// startNginx serves root with nginx (Debian's nginx-light) on a free
// loopback port, in the foreground as a child process with its files in
// dir, configured like a plain static file server.
func startNginx(dir, root string) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	conf := fmt.Sprintf(`user root;
worker_processes %d;
daemon off;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path %[2]s/body;
  proxy_temp_path %[2]s/proxy;
  fastcgi_temp_path %[2]s/fastcgi;
  uwsgi_temp_path %[2]s/uwsgi;
  scgi_temp_path %[2]s/scgi;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  default_type audio/mpeg;
  server {
    listen %[3]s;
    root %[4]s;
  }
}
`, runtime.GOMAXPROCS(0), dir, addr, root)
	confPath := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o600); err != nil {
		return "", nil, err
	}
	cmd := exec.Command("nginx", "-c", confPath, "-p", dir, "-e", filepath.Join(dir, "error.log"))
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("starting nginx (Debian package nginx-light): %w", err)
	}
	stop := func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}
	// nginx has no readiness signal; wait until the port answers.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			return "http://" + addr, stop, nil
		}
		if time.Now().After(deadline) {
			stop()
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			return "", nil, fmt.Errorf("nginx did not start listening on %s: %s", addr, log)
		}
	}
}

func randomRange() string {
	start := rand.Int64N(benchAudioBytes - benchRangeBytes)
	return fmt.Sprintf("bytes=%d-%d", start, start+benchRangeBytes-1)
}

// fetch does one GET and reads the whole body, returning its size.
func fetch(c *http.Client, url, token, rng string) (int64, error) {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return 0, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if rng != "" {
		req.Header.Set("Range", rng)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err == nil && resp.StatusCode != 200 && resp.StatusCode != 206 {
		err = fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return n, err
}

func getJSON(c *http.Client, url, token string, v any) error {
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// measurement is what workers doing one operation in a loop achieved.
type measurement struct {
	ops       int64
	bytes     int64
	elapsed   time.Duration
	latencies []time.Duration
	err       error
}

// add merges another run of the same operation into m.
func (m *measurement) add(o *measurement) {
	m.ops += o.ops
	m.bytes += o.bytes
	m.elapsed += o.elapsed
	m.latencies = append(m.latencies, o.latencies...)
	slices.Sort(m.latencies)
	if m.err == nil {
		m.err = o.err
	}
}

func (m *measurement) rps() float64  { return float64(m.ops) / m.elapsed.Seconds() }
func (m *measurement) mbps() float64 { return float64(m.bytes) / 1e6 / m.elapsed.Seconds() }

func (m *measurement) percentile(p int) time.Duration {
	if len(m.latencies) == 0 {
		return 0
	}
	return m.latencies[(len(m.latencies)-1)*p/100]
}

// measure runs op from workers goroutines until d has passed.
func measure(workers int, d time.Duration, op func() (int64, error)) *measurement {
	m := &measurement{}
	var mu sync.Mutex
	var failed atomic.Bool
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var lat []time.Duration
			var bytes int64
			for ctx.Err() == nil && !failed.Load() {
				t0 := time.Now()
				n, err := op()
				if err != nil {
					mu.Lock()
					m.err = err
					mu.Unlock()
					failed.Store(true)
					return
				}
				lat = append(lat, time.Since(t0))
				bytes += n
			}
			mu.Lock()
			m.latencies = append(m.latencies, lat...)
			m.bytes += bytes
			mu.Unlock()
		})
	}
	wg.Wait()
	m.elapsed = time.Since(start)
	m.ops = int64(len(m.latencies))
	slices.Sort(m.latencies)
	return m
}

// noJobs is a job service with no jobs, for benchmarks that need none.
type noJobs struct{ Jobs }

func (noJobs) List(context.Context, string) []core.Status { return nil }

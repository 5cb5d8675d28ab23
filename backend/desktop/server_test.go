package desktop

import (
	"bytes"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"image/png"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"podcastfy/backend/api"
	"podcastfy/backend/config"
	"podcastfy/backend/events"
)

func TestServerNeedsLogin(t *testing.T) {
	e := newEnv(t)
	_, err := e.d.Server.Start()
	notLoggedIn(t, "Start", err)
	_, err = e.d.Server.Stop()
	notLoggedIn(t, "Stop", err)
	_, err = e.d.Server.Status()
	notLoggedIn(t, "Status", err)
}

func get(t *testing.T, client *http.Client, url string) (int, string) {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func serverEvent(running bool) func(events.Event) bool {
	return func(ev events.Event) bool {
		st, ok := ev.Data.(ServerStatus)
		return ev.Name == events.ServerStatus && ok && st.Running == running
	}
}

func TestServerStartStop(t *testing.T) {
	e := newEnv(t)
	ann := e.login(t, "ann", true)
	e.addPodcast(t, ann.ID, "Tone", 3, e.now())
	srv := e.d.Server
	port := strconv.Itoa(e.d.Settings.file.get().Server.Port)

	if st, err := srv.Status(); err != nil || st.Running {
		t.Fatalf("Status before Start = %+v, %v", st, err)
	}
	st, err := srv.Start()
	if err != nil || !st.Running {
		t.Fatalf("Start = %+v, %v", st, err)
	}
	// 127.0.0.1 in the settings would hide it from the LAN: it listens on
	// every interface.
	if host, p, _ := net.SplitHostPort(st.Addr); p != port || !net.ParseIP(host).IsUnspecified() {
		t.Errorf("Addr = %q, want every interface on port %s", st.Addr, port)
	}
	if len(st.URLs) == 0 || st.URLs[0] != "http://127.0.0.1:"+port {
		t.Errorf("URLs = %q, want http://127.0.0.1:%s first", st.URLs, port)
	}
	img, ok := strings.CutPrefix(st.QRCode, "data:image/png;base64,")
	raw, derr := base64.StdEncoding.DecodeString(img)
	if !ok || derr != nil {
		t.Fatalf("QRCode = %.40q…, want a PNG data URL", st.QRCode)
	}
	if pic, err := png.Decode(bytes.NewReader(raw)); err != nil || pic.Bounds().Dx() != qrSize {
		t.Errorf("QR code PNG: %v", err)
	}
	if !strings.HasPrefix(st.FeedURL, api.LANStatus{URLs: st.URLs}.LANURL()+"/feed.xml?key=") || st.TLS || st.Fingerprint != "" {
		t.Errorf("FeedURL %q, TLS %v, fingerprint %q", st.FeedURL, st.TLS, st.Fingerprint)
	}
	ev := e.rt.waitEvent(t, time.Second, "server:status running", serverEvent(true))
	if got := ev.Data.(ServerStatus); got.FeedURL != st.FeedURL || got.QRCode != st.QRCode {
		t.Errorf("server:status event = %+v, want the status Start returned", got)
	}

	// It is the real API, over the desktop's library.
	client := &http.Client{Timeout: 10 * time.Second}
	if code, body := get(t, client, st.URLs[0]+"/healthz"); code != http.StatusOK {
		t.Errorf("/healthz = %d %s", code, body)
	}
	feed := strings.Replace(st.FeedURL, api.LANStatus{URLs: st.URLs}.LANURL(), st.URLs[0], 1)
	if code, body := get(t, client, feed); code != http.StatusOK || !strings.Contains(body, "<title>Tone</title>") {
		t.Errorf("feed = %d %.200s", code, body)
	}
	// The LAN API logs in with the same accounts and sees the window's jobs,
	// whose events the relay passes to its hub.
	if relayHub(e.d.Server.relay) == nil {
		t.Error("the relay has no hub while the server runs")
	}
	job, err := e.d.Generator.Start(GenerateRequest{Text: sourceText, Writer: "extractive"})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Post(st.URLs[0]+"/auth/login", "application/json",
		strings.NewReader(`{"username":"ann","password":"`+testPassword+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	var login struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&login)
	resp.Body.Close()
	req, _ := http.NewRequest(http.MethodGet, st.URLs[0]+"/jobs", nil)
	req.Header.Set("Authorization", "Bearer "+login.Token)
	resp, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var jobs struct{ Jobs []struct{ ID string } }
	json.NewDecoder(resp.Body).Decode(&jobs)
	resp.Body.Close()
	if len(jobs.Jobs) != 1 || jobs.Jobs[0].ID != job.ID {
		t.Errorf("GET /jobs = %+v, want the job %s started in the window", jobs, job.ID)
	}
	// The feed key stays the same.
	if again, _ := srv.Status(); again.FeedURL != st.FeedURL {
		t.Errorf("feed URL changed from %q to %q", st.FeedURL, again.FeedURL)
	}
	if again, err := srv.Start(); err != nil || again.Addr != st.Addr {
		t.Errorf("second Start = %+v, %v; want the running server", again, err)
	}

	st, err = srv.Stop()
	if err != nil || st.Running || len(st.URLs) != 0 || st.FeedURL != "" {
		t.Fatalf("Stop = %+v, %v", st, err)
	}
	e.rt.waitEvent(t, time.Second, "server:status stopped", serverEvent(false))
	if relayHub(e.d.Server.relay) != nil {
		t.Error("the relay keeps the stopped server's hub")
	}
	if _, err := client.Get("http://127.0.0.1:" + port + "/healthz"); err == nil {
		t.Error("the server still answers after Stop")
	}
	if _, err := srv.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
	// It starts again.
	if st, err := srv.Start(); err != nil || !st.Running {
		t.Errorf("Start after Stop = %+v, %v", st, err)
	}
}

func TestServerPortTaken(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	e := newEnv(t, func(s *config.Settings) { s.Server.Bind, s.Server.Port = "127.0.0.2", port })
	e.login(t, "ann", true)
	// 127.0.0.2 is loopback too, so it asks for every interface, where
	// 127.0.0.1:port is taken.
	st, err := e.d.Server.Start()
	wantErr(t, err, "cannot listen on")
	if st.Running || !strings.Contains(st.Error, "server.port") {
		t.Errorf("status = %+v, want not running with the reason", st)
	}
}

func TestServerTLS(t *testing.T) {
	e := newEnv(t, func(s *config.Settings) { s.Server.TLS = true })
	e.login(t, "ann", true)
	st, err := e.d.Server.Start()
	if err != nil || !st.TLS || st.Fingerprint == "" || !strings.HasPrefix(st.URLs[0], "https://") {
		t.Fatalf("Start with TLS = %+v, %v", st, err)
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
	}}
	if code, _ := get(t, client, st.URLs[0]+"/healthz"); code != http.StatusOK {
		t.Errorf("/healthz over TLS = %d", code)
	}
}

func TestStartupStartsEnabledServer(t *testing.T) {
	e := newEnv(t, func(s *config.Settings) { s.Server.Enabled = true })
	e.d.Startup(t.Context())
	e.rt.waitEvent(t, time.Second, "server:status running", serverEvent(true))
	e.login(t, "ann", true)
	st, err := e.d.Server.Status()
	if err != nil || !st.Running {
		t.Fatalf("Status after Startup = %+v, %v", st, err)
	}
	if err := e.d.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	if st, _ := e.d.Server.Status(); st.Running {
		t.Error("the server runs after Shutdown")
	}
}

func relayHub(r *Relay) any {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.hub == nil {
		return nil
	}
	return r.hub
}

package api

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// startServe runs Serve on a free loopback port and returns the URL it
// printed, a cancel function and the channel of Serve's result.
func startServe(t *testing.T, cfg ServeConfig, h http.Handler) (string, context.CancelFunc, <-chan error) {
	t.Helper()
	pr, pw := io.Pipe()
	cfg.Out = pw
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	ctx, cancel := context.WithCancel(context.Background())
	result := make(chan error, 1)
	go func() {
		err := Serve(ctx, cfg, h)
		pw.Close()
		result <- err
	}()
	t.Cleanup(cancel)
	sc := bufio.NewScanner(pr)
	var url string
	for sc.Scan() {
		line := sc.Text()
		if i := strings.Index(line, "listening on "); i >= 0 {
			url = line[i+len("listening on "):]
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if url == "" {
		t.Fatalf("Serve printed no URL: %v", <-result)
	}
	return url, cancel, result
}

// A download in progress when shutdown begins runs to its end; event
// streams are closed; AfterDrain runs after the last request.
func TestServeGracefulShutdown(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	hub := NewHub(0)
	mux := http.NewServeMux()
	mux.HandleFunc("/download", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("first half,"))
		http.NewResponseController(w).Flush()
		close(started)
		<-release
		w.Write([]byte("second half"))
	})
	afterDrain := make(chan time.Time, 1)
	url, cancel, result := startServe(t, ServeConfig{Hub: hub, AfterDrain: func(context.Context) error {
		afterDrain <- time.Now()
		return nil
	}}, mux)
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("URL %q", url)
	}
	body := make(chan string, 1)
	go func() {
		resp, err := http.Get(url + "/download")
		if err != nil {
			body <- "error: " + err.Error()
			return
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		body <- string(data)
	}()
	<-started
	cancel()
	select {
	case <-hub.closed:
	case <-time.After(5 * time.Second):
		t.Fatal("shutdown did not close the event streams")
	}
	select {
	case err := <-result:
		t.Fatalf("Serve returned (%v) while a download was running", err)
	case <-afterDrain:
		t.Fatal("AfterDrain ran while a download was running")
	default:
	}
	releasedAt := time.Now()
	close(release)
	if got := <-body; got != "first half,second half" {
		t.Fatalf("download got %q", got)
	}
	if err := <-result; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if at := <-afterDrain; at.Before(releasedAt) {
		t.Fatal("AfterDrain ran before the download ended")
	}
	if _, err := http.Get(url + "/download"); err == nil {
		t.Fatal("the server still accepts connections")
	}
}

func TestServeAddressInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	err = Serve(context.Background(), ServeConfig{Addr: ln.Addr().String()}, http.NotFoundHandler())
	if err == nil || !strings.Contains(err.Error(), "--addr") {
		t.Fatalf("err = %v", err)
	}
}

func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	url, cancel, result := startServe(t, ServeConfig{TLS: true, CertDir: dir}, NewServer(Deps{Version: "tls"}))
	if !strings.HasPrefix(url, "https://127.0.0.1:") {
		t.Fatalf("URL %q", url)
	}
	fi, err := os.Stat(filepath.Join(dir, keyFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi, err)
	}
	certPEM, err := os.ReadFile(filepath.Join(dir, certFile))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(certPEM)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.Get(url + "/healthz")
	if err != nil {
		t.Fatalf("HTTPS with the stored certificate as root: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if _, err := http.Get(url + "/healthz"); err == nil {
		t.Fatal("an untrusting client accepted the self-signed certificate")
	}
	cancel()
	if err := <-result; err != nil {
		t.Fatal(err)
	}

	// The certificate is kept: the same fingerprint next time.
	_, fp1, err := LoadOrCreateCert(dir, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	_, fp2, err := LoadOrCreateCert(dir, nil, time.Now())
	if err != nil || fp1 != fp2 || len(fp1) != 95 {
		t.Fatalf("fingerprints %q %q (%v)", fp1, fp2, err)
	}
	// An expired one is replaced; a damaged one is reported, not replaced.
	_, fp3, err := LoadOrCreateCert(dir, nil, time.Now().Add(certLifetime+time.Hour))
	if err != nil || fp3 == fp1 {
		t.Fatalf("expired certificate kept: %v", err)
	}
	os.WriteFile(filepath.Join(dir, certFile), []byte("garbage"), 0o644)
	if _, _, err := LoadOrCreateCert(dir, nil, time.Now()); err == nil || !strings.Contains(err.Error(), "remove") {
		t.Fatalf("damaged certificate: %v", err)
	}
}

func TestReachableURLs(t *testing.T) {
	got := reachableURLs("http", &net.TCPAddr{IP: net.IPv4zero, Port: 8765})
	if len(got) == 0 || got[0] != "http://127.0.0.1:8765" {
		t.Fatalf("0.0.0.0: %v", got)
	}
	for _, u := range got[1:] {
		if strings.Contains(u, "127.0.0.1") || strings.Contains(u, "[") || !strings.HasSuffix(u, ":8765") {
			t.Fatalf("LAN URL %q of an IPv4 listener", u)
		}
	}
	if got := reachableURLs("http", &net.TCPAddr{IP: net.IPv6unspecified, Port: 8765}); len(got) == 0 || got[0] != "http://127.0.0.1:8765" {
		t.Fatalf("[::]: %v", got)
	}
	if got := reachableURLs("https", &net.TCPAddr{IP: net.ParseIP("::1"), Port: 1}); len(got) != 1 || got[0] != "https://[::1]:1" {
		t.Fatalf("::1: %v", got)
	}
}

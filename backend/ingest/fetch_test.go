package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// site serves pages for the URL tests, the hostile ones included. Handlers
// that stall wait for the client to give up or the test to end, never sleep.
func site(t *testing.T) *httptest.Server {
	t.Helper()
	done := make(chan struct{})
	mux := http.NewServeMux()
	article := readTestdata(t, "article.html")
	report := reportPDF(t)
	mux.HandleFunc("/article", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(article)
	})
	mux.HandleFunc("/notes.md", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/markdown")
		w.Write([]byte("# Notes\n\nSome *notes*."))
	})
	mux.HandleFunc("/plain", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("Plain words.\n\nMore words."))
	})
	mux.HandleFunc("/report", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write(report)
	})
	mux.HandleFunc("/download", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(report)
	})
	mux.HandleFunc("/latin1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
		w.Write([]byte("<html><head><title>Caf\xe9</title></head><body><p>Cr\xe8me br\xfbl\xe9e.</p></body></html>"))
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/article", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/chain/{n}", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(r.PathValue("n"), &n)
		if n == 0 {
			http.Redirect(w, r, "/plain", http.StatusFound)
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/chain/%d", n-1), http.StatusFound)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/to-ftp", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "ftp://example.com/file.txt", http.StatusFound)
	})
	mux.HandleFunc("/to-file", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-done:
		}
	})
	mux.HandleFunc("/slow-body", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("The start arrives, "))
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-done:
		}
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		chunk := []byte(strings.Repeat("<p>filler text</p>\n", 512))
		for sent := 0; sent < 50<<20; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return // the client stopped reading
			}
		}
	})
	mux.HandleFunc("/huge-declared", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", fmt.Sprint(50<<20))
		w.Write([]byte("<p>start</p>"))
	})
	// 50 MB of zeros as 50 gzip members of 1 MB, about 50 KB on the wire.
	var member bytes.Buffer
	gz := gzip.NewWriter(&member)
	gz.Write(make([]byte, 1<<20))
	gz.Close()
	bomb := bytes.Repeat(member.Bytes(), 50)
	mux.HandleFunc("/gzip-bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb)
	})
	mux.HandleFunc("/image", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
	})
	mux.HandleFunc("/lying-html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("\x00\x01\x02\x03\x04binary\x00\x00"))
	})
	mux.HandleFunc("/lying-pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write([]byte("<html>Not a PDF</html>"))
	})
	mux.HandleFunc("/json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"a":1}`))
	})
	mux.HandleFunc("/empty", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
	})
	mux.HandleFunc("/nav-only", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body><nav><a href=/>Home</a></nav><script>x()</script></body></html>"))
	})
	mux.HandleFunc("/error", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(func() {
		close(done)
		srv.Close()
	})
	return srv
}

func TestURL(t *testing.T) {
	srv := site(t)
	in := New(Options{HTTPTimeout: 5 * time.Second}, nil)
	tests := []struct {
		path, want, title string
	}{
		{"/article", "Honey bees share the location of flowers", "How Bees Talk"},
		{"/notes.md", "Notes\n\nSome notes.", "Notes"},
		{"/plain", "Plain words.\n\nMore words.", "plain"},
		{"/report", "The extraction of honey", "Living With Bees"},
		{"/download", "The extraction of honey", "Living With Bees"},
		{"/latin1", "Crème brûlée.", "Café"},
		{"/moved", "waggle dance", "How Bees Talk"},
		{"/chain/4", "Plain words.", "plain"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			doc, err := in.URL(context.Background(), srv.URL+tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(doc.Text, tt.want) || doc.Title != tt.title {
				t.Errorf("got %q titled %q", doc.Text[:min(len(doc.Text), 80)], doc.Title)
			}
			if strings.Contains(doc.Text, "Subscribe now") {
				t.Error("navigation leaked into the text")
			}
		})
	}
}

func TestURLErrors(t *testing.T) {
	srv := site(t)
	// Only the stalling pages need the short time-out; the others get room
	// for a slow machine under the race detector.
	fast := New(Options{HTTPTimeout: 300 * time.Millisecond, MaxSourceBytes: 1 << 20, MaxRedirects: 5}, nil)
	in := New(Options{HTTPTimeout: 20 * time.Second, MaxSourceBytes: 1 << 20, MaxRedirects: 5}, nil)
	tests := []struct {
		url      string
		is       error
		contains string
	}{
		{srv.URL + "/slow", ErrFetch, "did not send the page within 300ms"},
		{srv.URL + "/slow-body", ErrFetch, "did not send the page within 300ms"},
		{srv.URL + "/loop", ErrFetch, "redirects more than 5 times"},
		{srv.URL + "/chain/6", ErrFetch, "redirects more than 5 times"},
		{srv.URL + "/nope", ErrFetch, "answered 404 Not Found"},
		{srv.URL + "/error", ErrFetch, "answered 500 Internal Server Error"},
		{srv.URL + "/huge", ErrTooLarge, "larger than 1 MB"},
		{srv.URL + "/huge-declared", ErrTooLarge, "the page is 50 MB; the limit is 1 MB"},
		{srv.URL + "/gzip-bomb", ErrTooLarge, "larger than 1 MB"},
		{srv.URL + "/image", ErrUnsupported, "serves image/png"},
		{srv.URL + "/json", ErrUnsupported, "serves application/json"},
		{srv.URL + "/lying-html", ErrBinary, "binary data, not a web page"},
		{srv.URL + "/lying-pdf", ErrUnsupported, "says it serves a PDF but sends text"},
		{srv.URL + "/empty", ErrEmpty, "sent an empty answer"},
		{srv.URL + "/nav-only", ErrEmpty, "contains no readable text"},
		{srv.URL + "/to-ftp", ErrScheme, `"ftp:" links cannot be read`},
		{srv.URL + "/to-file", ErrScheme, `"file:" links cannot be read`},
		{"file:///etc/passwd", ErrScheme, `"file:" links`},
		{"ftp://example.com/x", ErrScheme, `"ftp:" links`},
		{"javascript:alert(1)", ErrScheme, `"javascript:" links`},
		{"data:text/plain,hello", ErrScheme, `"data:" links`},
		{"http://", ErrInvalidInput, "has no host"},
		{"  ", ErrInvalidInput, "the link is empty"},
		{"http://bad host/", ErrInvalidInput, "not a valid link"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			ing := in
			if strings.Contains(tt.url, "/slow") {
				ing = fast
			}
			_, err := ing.URL(context.Background(), tt.url)
			var se *SourceError
			if !errors.Is(err, tt.is) || !strings.Contains(err.Error(), tt.contains) || !errors.As(err, &se) || se.Name != tt.url {
				t.Fatalf("err = %v, want %v containing %q", err, tt.is, tt.contains)
			}
		})
	}
}

func TestURLPrivateHosts(t *testing.T) {
	srv := site(t)
	blocked := New(Options{BlockPrivateHosts: true}, nil)
	for _, u := range []string{srv.URL + "/plain", "http://localhost:1/", "http://[::1]:1/", "http://10.0.0.1/",
		"http://169.254.169.254/latest/meta-data"} {
		if _, err := blocked.URL(context.Background(), u); !errors.Is(err, ErrPrivateHost) {
			t.Errorf("%s: err = %v, want ErrPrivateHost", u, err)
		}
	}
	// The dial-time check catches names that resolve to private addresses.
	if err := blocked.dialControl("tcp", "127.0.0.1:80", nil); !errors.Is(err, ErrPrivateHost) {
		t.Errorf("dialControl let loopback through: %v", err)
	}
	if err := blocked.dialControl("tcp", "93.184.215.14:443", nil); err != nil {
		t.Errorf("dialControl blocked a public address: %v", err)
	}
	// By default a desktop user may read pages on the LAN.
	if _, err := New(Options{}, nil).URL(context.Background(), srv.URL+"/plain"); err != nil {
		t.Fatal(err)
	}
}

func TestURLCancel(t *testing.T) {
	srv := site(t)
	ctx, cancel := context.WithCancel(context.Background())
	in := New(Options{HTTPTimeout: time.Minute}, nil)
	errc := make(chan error, 1)
	go func() {
		_, err := in.URL(ctx, srv.URL+"/slow")
		errc <- err
	}()
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

func TestURLInjectedClient(t *testing.T) {
	srv := site(t)
	var seen []string
	hc := &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
		seen = append(seen, r.URL.Path)
		return http.DefaultTransport.RoundTrip(r)
	})}
	in := New(Options{HTTPClient: hc, MaxRedirects: 2}, nil)
	if _, err := in.URL(context.Background(), srv.URL+"/chain/1"); err != nil {
		t.Fatal(err)
	}
	if strings.Join(seen, " ") != "/chain/1 /chain/0 /plain" {
		t.Errorf("requests %v", seen)
	}
	if _, err := in.URL(context.Background(), srv.URL+"/loop"); !errors.Is(err, ErrFetch) {
		t.Errorf("the injected client ignored the redirect limit: %v", err)
	}
	if hc.CheckRedirect != nil {
		t.Error("the caller's client was modified")
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

package api

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// dialFrom opens a TCP connection to hostport from the given loopback
// address, failing the test after ten seconds of silence so a server that
// never answers fails it rather than hanging it.
func dialFrom(t *testing.T, ip, hostport string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	c, err := d.Dial("tcp", hostport)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	t.Cleanup(func() { c.Close() })
	return c
}

// One address may hold only so many connections; the next is answered 429
// and closed, while other addresses are served, and a freed place can be
// taken again.
func TestConnectionCapPerAddress(t *testing.T) {
	tt := newTester(t, testOptions{})
	base, _, _ := startServe(t, ServeConfig{Hub: tt.hub, MaxConnsPerAddr: 2}, tt.handler)
	hostport := strings.TrimPrefix(base, "http://")
	get := "GET /healthz HTTP/1.1\r\nHost: " + hostport + "\r\n\r\n"

	held := []net.Conn{dialFrom(t, "127.0.0.7", hostport), dialFrom(t, "127.0.0.7", hostport)}
	// The server has accepted both once each has answered a request.
	for _, c := range held {
		io.WriteString(c, get)
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("held connection: %v %v", resp, err)
		}
		resp.Body.Close()
	}
	over := dialFrom(t, "127.0.0.7", hostport)
	resp, err := http.ReadResponse(bufio.NewReader(over), nil)
	if err != nil {
		t.Fatalf("connection over the cap: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 429 || !strings.Contains(string(body), "too_many_connections") {
		t.Fatalf("over the cap: %d %s", resp.StatusCode, body)
	}

	other := dialFrom(t, "127.0.0.8", hostport)
	io.WriteString(other, get)
	if resp, err := http.ReadResponse(bufio.NewReader(other), nil); err != nil || resp.StatusCode != 200 {
		t.Fatalf("another address: %v %v", resp, err)
	}

	// Close one held connection; the server notices when its read ends,
	// after which a new connection from that address is served.
	held[0].Close()
	for attempt := 0; ; attempt++ {
		c := dialFrom(t, "127.0.0.7", hostport)
		io.WriteString(c, get)
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err == nil && resp.StatusCode == 200 {
			break
		}
		if attempt == 1000 {
			t.Fatalf("the freed place was never given back: %v %v", resp, err)
		}
	}
}

// A client that has not authenticated cannot hold a connection by sending
// its body slowly: the server gives up on the body after the public
// deadline, on public routes and on protected ones it refused.
func TestSlowUnauthenticatedBodyIsCutOff(t *testing.T) {
	tt := newTester(t, testOptions{publicBodyDeadline: 200 * time.Millisecond})
	hostport := strings.TrimPrefix(tt.srv.URL, "http://")
	for name, head := range map[string]string{
		"login":          "POST /auth/login HTTP/1.1\r\nContent-Type: application/json\r\n",
		"refused upload": "POST /podcasts/generate/audio HTTP/1.1\r\nAuthorization: Bearer not-a-token\r\nContent-Type: multipart/form-data; boundary=B\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			c := dialFrom(t, "127.0.0.9", hostport)
			io.WriteString(c, head+"Host: "+hostport+"\r\nContent-Length: 1000\r\n\r\n{")
			// Whatever the server answers, it must then close the
			// connection without waiting for the other 999 bytes.
			if _, err := io.ReadAll(c); err != nil {
				t.Fatalf("the server kept waiting for the body: %v", err)
			}
		})
	}
}

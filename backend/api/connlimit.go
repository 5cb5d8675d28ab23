package api

import (
	"net"
	"strconv"
	"sync"
	"time"
)

// DefaultMaxConnsPerAddr bounds the open connections of one client address.
// A browser opens about six per host and a podcast app a few more; beyond
// this a client is hoarding connections (or holding slow bodies open) and
// would otherwise exhaust the server's file descriptors for everyone.
const DefaultMaxConnsPerAddr = 32

// refuseDeadline bounds writing the refusal to a connection over the cap.
const refuseDeadline = 2 * time.Second

// capListener refuses a connection when its client address already holds
// max open connections: a plain-HTTP client gets a 429 answer saying so, a
// TLS client (whose handshake has not happened yet) a closed connection.
type capListener struct {
	net.Listener
	max     int
	refusal []byte // written to a refused plain-HTTP connection; nil for TLS

	mu   sync.Mutex
	open map[string]int
}

func newCapListener(ln net.Listener, max int, plain bool) *capListener {
	l := &capListener{Listener: ln, max: max, open: map[string]int{}}
	if plain {
		body := `{"error":{"code":"too_many_connections","message":"this address has too many open connections to the server; close some and retry"}}`
		l.refusal = []byte("HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nRetry-After: 1\r\n" +
			"Connection: close\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body)
	}
	return l
}

// Accept returns the next connection whose address is under its cap; it
// answers and closes the others itself.
func (l *capListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		host := remoteHost(c)
		l.mu.Lock()
		if l.open[host] >= l.max {
			l.mu.Unlock()
			go l.refuse(c)
			continue
		}
		l.open[host]++
		l.mu.Unlock()
		return &cappedConn{Conn: c, release: func() { l.release(host) }}, nil
	}
}

// refuse answers a connection over the cap, off the accept loop so a slow
// client cannot stall it.
func (l *capListener) refuse(c net.Conn) {
	if l.refusal != nil {
		c.SetWriteDeadline(time.Now().Add(refuseDeadline))
		c.Write(l.refusal)
	}
	c.Close()
}

func (l *capListener) release(host string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[host]--; l.open[host] <= 0 {
		delete(l.open, host)
	}
}

// remoteHost is the IP of a connection's peer.
func remoteHost(c net.Conn) string {
	if a, ok := c.RemoteAddr().(*net.TCPAddr); ok {
		return a.IP.String()
	}
	return c.RemoteAddr().String()
}

// cappedConn gives its place back once, when closed.
type cappedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *cappedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

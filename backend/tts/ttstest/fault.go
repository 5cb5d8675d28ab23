package ttstest

import (
	"fmt"
	"net/http"
	"sync"
)

// Fault is a failure a fake server injects into its next synthesis
// request (or, for Kyutai, its next connection).
type Fault int

const (
	// OK answers normally.
	OK Fault = iota
	// ServerError is a 500 with the server's own error body (Kokoro's
	// {"detail":{…}}, speaches' {"detail":"…"}, Piper's Flask HTML page);
	// for Kyutai an Error message before the socket closes.
	ServerError
	// ProxyHTML is a 502 HTML page, as a reverse proxy in front of the
	// server sends when the server is down.
	ProxyHTML
	// HTMLBody is a 200 whose body is an HTML page instead of audio.
	HTMLBody
	// EmptyBody is a 200 with no body.
	EmptyBody
	// TruncatedWAV is a 200 WAV whose data ends half-way through what its
	// header announces.
	TruncatedWAV
	// Drop closes the connection in the middle of the answer (Kyutai: after
	// the first Audio frame, without a close frame).
	Drop
	// Hang never answers; the request ends when the client gives up.
	Hang
	// Busy is Kyutai's Error "no free channels" right after the upgrade.
	Busy
)

// faults is a queue of faults consumed one per request.
type faults struct {
	mu sync.Mutex
	q  []Fault
}

// add queues faults for the next requests, in order.
func (f *faults) add(fs ...Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.q = append(f.q, fs...)
}

// next takes the fault for this request (OK when none is queued).
func (f *faults) next() Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.q) == 0 {
		return OK
	}
	x := f.q[0]
	f.q = f.q[1:]
	return x
}

// Flask's (Werkzeug's) default error pages, as Piper sends them.
const (
	flask404 = "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n"
	flask405 = "<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n"
	flask500 = "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>\n"
	nginx502 = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n"
	webPage  = "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form>Please sign in</form></body></html>\n"
)

// httpFault writes the answer for the transport-level faults shared by the
// HTTP fakes and reports whether it handled f. ServerError is left to the
// caller, whose error body is flavour-specific.
func httpFault(w http.ResponseWriter, r *http.Request, f Fault, rate int, text string) bool {
	switch f {
	case ProxyHTML:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprint(w, nginx502)
	case HTMLBody:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, webPage)
	case EmptyBody:
		w.Header().Set("Content-Type", "audio/wav")
		w.WriteHeader(http.StatusOK)
	case TruncatedWAV:
		samples := samplesFor(text, 1, rate)
		w.Header().Set("Content-Type", "audio/wav")
		body := append(WAVHeader(rate, 2*len(samples), false), PCM16(samples[:len(samples)/2])...)
		w.Write(body)
	case Drop:
		drop(w, rate)
	case Hang:
		<-r.Context().Done()
	default:
		return false
	}
	return true
}

// drop announces a long WAV, sends a little of it and closes the connection.
func drop(w http.ResponseWriter, rate int) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		http.Error(w, "cannot hijack: "+err.Error(), http.StatusInternalServerError)
		return
	}
	defer conn.Close()
	fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: audio/wav\r\nContent-Length: %d\r\n\r\n", 44+rate*2)
	buf.Write(WAVHeader(rate, rate*2, false))
	buf.Write(make([]byte, 1000))
	buf.Flush()
}

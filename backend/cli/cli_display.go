package cli

import (
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// errNoDisplay is what the desktop binary says where it cannot show a
// window: where the app works without one, and how to give it one.
var errNoDisplay = errors.New(`no display to open the desktop window on.
  On a server, run 'podcastfy serve' and use the web interface from a browser,
  or give the window a virtual display: xvfb-run podcastfy`)

// checkDisplay reports whether a window can be shown. On Linux GTK needs an
// X server (DISPLAY) or a Wayland compositor (WAYLAND_DISPLAY), and
// without one the webview gives up with a crash instead of a message; the
// display's socket is tried here first. Other systems always have a
// desktop.
func checkDisplay(getenv func(string) string) error {
	if runtime.GOOS != "linux" {
		return nil
	}
	var tried []string
	if w := getenv("WAYLAND_DISPLAY"); w != "" {
		path := w
		if !filepath.IsAbs(path) {
			path = filepath.Join(getenv("XDG_RUNTIME_DIR"), w)
		}
		if reachable("unix", path) {
			return nil
		}
		tried = append(tried, "WAYLAND_DISPLAY="+w)
	}
	if d := getenv("DISPLAY"); d != "" {
		if xReachable(d) {
			return nil
		}
		tried = append(tried, "DISPLAY="+d)
	}
	if len(tried) == 0 {
		return fmt.Errorf("%w\n  (DISPLAY and WAYLAND_DISPLAY are not set)", errNoDisplay)
	}
	return fmt.Errorf("%w\n  (nothing answers at %s)", errNoDisplay, strings.Join(tried, ", "))
}

// xReachable tries the X server that display ("[host]:n[.screen]") names:
// its local socket (abstract or in /tmp/.X11-unix), or TCP port 6000+n.
func xReachable(display string) bool {
	host, rest, ok := strings.Cut(display, ":")
	if !ok {
		return false
	}
	num, _, _ := strings.Cut(rest, ".")
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 {
		return false
	}
	if host == "" || host == "unix" {
		path := "/tmp/.X11-unix/X" + num
		return reachable("unix", "@"+path) || reachable("unix", path)
	}
	return reachable("tcp", net.JoinHostPort(host, strconv.Itoa(6000+n)))
}

func reachable(network, addr string) bool {
	c, err := net.DialTimeout(network, addr, 2*time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

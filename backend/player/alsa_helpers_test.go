package player

import (
	"context"
	"encoding/binary"
	"fmt"
	"log/slog"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The tests that play through ALSA run in a child process each: ALSA reads
// its configuration once per process, and oto opens one device per process.
const (
	childEnv = "PODCASTFY_PLAYER_TEST_CHILD" // the test or benchmark the child runs
	fifoEnv  = "PODCASTFY_PLAYER_TEST_FIFO"  // where the child's device writes
)

type alsaSetup int

const (
	// alsaCapture makes the default device a file device that writes raw
	// float32 stereo into a FIFO the test reads: the test sees every sample
	// played, and paces the device by how fast it reads.
	alsaCapture alsaSetup = iota
	// alsaNoDevice has no device at all, whatever the machine has.
	alsaNoDevice
	// alsaHangs is the capture device with nobody reading the FIFO: ALSA
	// blocks in its open call for ever, as a broken driver can.
	alsaHangs
	// alsaAppears starts as alsaNoDevice; plugIn turns it into alsaCapture,
	// as speakers plugged in while the app runs.
	alsaAppears
)

// laterSuffix names the configuration plugIn puts in place.
const laterSuffix = ".later"

// inALSAChild runs the calling test again in a child process with ALSA set
// up as asked. In the parent it waits for the child, fails if the child
// failed, and returns false; in the child it returns true.
func inALSAChild(t *testing.T, setup alsaSetup) bool {
	t.Helper()
	if os.Getenv(childEnv) == t.Name() {
		return true
	}
	out := runChild(t, setup, "-test.run=^"+t.Name()+"$", "-test.v")
	if !strings.Contains(out, "--- PASS: "+t.Name()) {
		t.Fatalf("the child process did not pass %s:\n%s", t.Name(), out)
	}
	return false
}

// runChild runs this test binary with args and ALSA set up as asked, and
// returns its output; it fails the test if the child fails.
func runChild(t testing.TB, setup alsaSetup, args ...string) string {
	t.Helper()
	dir := t.TempDir()
	conf, fifo := filepath.Join(dir, "alsa.conf"), filepath.Join(dir, "device.fifo")
	var text string
	switch setup {
	case alsaNoDevice, alsaAppears:
		// No system configuration: nothing but a card that does not exist.
		text = "pcm.!default { type hw card 99 device 0 }\n"
	}
	if setup != alsaNoDevice {
		base, err := os.ReadFile("/usr/share/alsa/alsa.conf")
		if err != nil {
			t.Fatalf("ALSA's configuration (package libasound2-data): %v", err)
		}
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Fatal(err)
		}
		capture := string(base) + fmt.Sprintf(
			"pcm.!default { type file slave.pcm null file %q format raw }\n", fifo)
		if setup == alsaAppears {
			if err := os.WriteFile(conf+laterSuffix, []byte(capture), 0o600); err != nil {
				t.Fatal(err)
			}
		} else {
			text = capture
		}
	}
	if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(os.Environ(),
		childEnv+"="+t.Name(), "ALSA_CONFIG_PATH="+conf, fifoEnv+"="+fifo, "HOME="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child process %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// plugIn puts the capture device in place in an alsaAppears child. A rename
// gives the configuration a new inode, which is how ALSA notices a change
// (it compares inode and modification second before reopening its files).
func plugIn(t *testing.T) {
	t.Helper()
	conf := os.Getenv("ALSA_CONFIG_PATH")
	if err := os.Rename(conf+laterSuffix, conf); err != nil {
		t.Fatal(err)
	}
}

// childLogger logs to the child's output, which the parent shows on failure.
func childLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// fSetPipeSize is Linux's F_SETPIPE_SZ.
const fSetPipeSize = 1031

// capture reads what the child's ALSA device writes.
type capture struct {
	mu       sync.Mutex
	frames   [][2]float64
	sounding int       // frames that are not exactly silent
	mark     int       // sounding when reset was last called
	firstAt  time.Time // when the first sounding frame after mark came
	changed  chan struct{}

	gate     int           // stop reading once sounding reaches it; 0: never
	reached  chan struct{} // closed when the reader stops at the gate
	released chan struct{} // closed to let it read on
}

// startCapture opens the device's FIFO and reads it until the test ends.
func startCapture(t *testing.T) *capture {
	t.Helper()
	c, stop := openCapture(t)
	t.Cleanup(stop)
	return c
}

// openCapture opens the device's FIFO and reads it until stop is called.
func openCapture(tb testing.TB) (c *capture, stop func()) {
	tb.Helper()
	// Read and write: the FIFO then never reports end of file, and ALSA's
	// open for writing does not wait for a reader.
	f, err := os.OpenFile(os.Getenv(fifoEnv), os.O_RDWR, 0)
	if err != nil {
		tb.Fatal(err)
	}
	// A one-page pipe keeps what is in flight small: stopping to read stops
	// the device almost at once.
	raw, err := f.SyscallConn()
	if err != nil {
		tb.Fatal(err)
	}
	var errno syscall.Errno
	if err := raw.Control(func(fd uintptr) {
		_, _, errno = syscall.Syscall(syscall.SYS_FCNTL, fd, fSetPipeSize, 4096)
	}); err != nil || errno != 0 {
		tb.Fatalf("shrinking the FIFO: %v %v", err, errno)
	}
	c = &capture{changed: make(chan struct{})}
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.read(f)
	}()
	return c, func() {
		c.release()
		if err := f.Close(); err != nil {
			tb.Errorf("closing the FIFO: %v", err)
		}
		<-done
	}
}

func (c *capture) read(f *os.File) {
	buf := make([]byte, 4800) // 25 ms at 24 kHz
	var rest []byte
	for {
		n, err := f.Read(buf)
		data := append(rest, buf[:n]...)
		whole := len(data) / bytesPerFrame * bytesPerFrame
		now := time.Now()

		c.mu.Lock()
		for i := 0; i < whole; i += bytesPerFrame {
			l := math.Float32frombits(binary.LittleEndian.Uint32(data[i:]))
			r := math.Float32frombits(binary.LittleEndian.Uint32(data[i+4:]))
			c.frames = append(c.frames, [2]float64{float64(l), float64(r)})
			if l != 0 || r != 0 {
				c.sounding++
				if c.firstAt.IsZero() && c.sounding > c.mark {
					c.firstAt = now
				}
			}
		}
		close(c.changed)
		c.changed = make(chan struct{})
		var wait chan struct{}
		if c.gate > 0 && c.sounding >= c.gate {
			c.gate = 0
			close(c.reached)
			wait = c.released
		}
		c.mu.Unlock()

		rest = append([]byte(nil), data[whole:]...)
		if err != nil {
			return
		}
		if wait != nil {
			<-wait
		}
	}
}

// gateAt makes the reader stop once n sounding frames came, as a device
// that stalls; the returned channel is closed when it has stopped.
func (c *capture) gateAt(n int) <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gate, c.reached, c.released = n, make(chan struct{}), make(chan struct{})
	return c.reached
}

// release lets a gated reader read on.
func (c *capture) release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.released != nil {
		close(c.released)
		c.released = nil
	}
}

// snapshot returns the frames read so far, the count of sounding ones, and
// a channel closed on the next read.
func (c *capture) snapshot() ([][2]float64, int, chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([][2]float64(nil), c.frames...), c.sounding, c.changed
}

// waitSounding waits until n sounding frames have come.
func (c *capture) waitSounding(t *testing.T, n int, timeout time.Duration) {
	t.Helper()
	deadline := time.After(timeout)
	for {
		_, got, changed := c.snapshot()
		if got >= n {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("the device played %d sounding frames within %v, want %d", got, timeout, n)
		}
	}
}

// waitQuiet waits until nothing has come for quiet, and returns the count of
// sounding frames then.
func (c *capture) waitQuiet(t testing.TB, quiet, timeout time.Duration) int {
	t.Helper()
	deadline := time.After(timeout)
	for {
		_, n, changed := c.snapshot()
		select {
		case <-changed:
		case <-time.After(quiet):
			return n
		case <-deadline:
			t.Fatalf("the device never went quiet for %v within %v", quiet, timeout)
		}
	}
}

// reset starts timing a new first sounding frame.
func (c *capture) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.mark, c.firstAt = c.sounding, time.Time{}
}

// waitFirst waits for the first sounding frame after reset and returns when
// it came.
func (c *capture) waitFirst(tb testing.TB, timeout time.Duration) time.Time {
	tb.Helper()
	deadline := time.After(timeout)
	for {
		c.mu.Lock()
		at, changed := c.firstAt, c.changed
		c.mu.Unlock()
		if !at.IsZero() {
			return at
		}
		select {
		case <-changed:
		case <-deadline:
			tb.Fatalf("no sound within %v", timeout)
		}
	}
}

// waitFor polls cond until it holds; for state that has no event to wait on.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, timeout)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// sameSound fails unless the sounding frames got are want's as the device
// received them (float32); silent frames in either are ignored.
func sameSound(t *testing.T, got, want []float64) {
	t.Helper()
	w := left32(want)
	if len(got) != len(w) {
		t.Fatalf("the device played %d sounding frames, want %d", len(got), len(w))
	}
	for i := range got {
		if got[i] != w[i] {
			t.Fatalf("sounding frame %d is %v, want %v", i, got[i], w[i])
		}
	}
}

// left32 is want's sounding left channel as the device receives it.
func left32(want []float64) []float64 {
	out := make([]float64, 0, len(want))
	for _, v := range want {
		if v != 0 {
			out = append(out, float64(float32(v)))
		}
	}
	return out
}

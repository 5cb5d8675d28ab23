//go:build linux

package cli

import (
	"context"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"podcastfy/backend/auth"
)

// openPTY returns both ends of a new pseudo-terminal; the slave end is what
// a user's terminal looks like to podcastfy.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("opening a pseudo-terminal: %v", err)
	}
	rc, err := m.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	var ioctlErr error
	// Control keeps the master non-blocking, so read deadlines work.
	if err := rc.Control(func(fd uintptr) {
		if ioctlErr = unix.IoctlSetPointerInt(int(fd), unix.TIOCSPTLCK, 0); ioctlErr == nil {
			n, ioctlErr = unix.IoctlGetInt(int(fd), unix.TIOCGPTN)
		}
	}); err != nil || ioctlErr != nil {
		t.Fatalf("setting up the pseudo-terminal: %v %v", err, ioctlErr)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		m.Close() // wakes a reader still blocked on the slave
		s.Close()
	})
	return m, s
}

// readUntil reads the terminal's output until it contains want. The
// deadline only turns a hang into a failure.
func readUntil(t *testing.T, m *os.File, want string) string {
	t.Helper()
	if err := m.SetReadDeadline(time.Now().Add(30 * time.Second)); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	buf := make([]byte, 256)
	for !strings.Contains(out.String(), want) {
		n, err := m.Read(buf)
		out.Write(buf[:n])
		if err != nil {
			t.Fatalf("terminal output %q, waiting for %q: %v", out.String(), want, err)
		}
	}
	return out.String()
}

func termFlags(t *testing.T, f *os.File) unix.Termios {
	t.Helper()
	tio, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	return *tio
}

func TestReadNewPasswordFromTerminal(t *testing.T) {
	prompts := []string{"New password for alice: ", "Repeat the password: "}
	tests := map[string]struct {
		typed   []string
		want    string
		wantErr string
	}{
		"typed twice":        {typed: []string{"secret-pw\r", "secret-pw\r"}, want: "secret-pw"},
		"newline ends too":   {typed: []string{"secret-pw\n", "secret-pw\r"}, want: "secret-pw"},
		"corrections":        {typed: []string{"wrong\x15secret-px\x7fw\r", "secret-pw\x08\x08pw\r"}, want: "secret-pw"},
		"multibyte erase":    {typed: []string{"päss\x7f\x7f\x7f\x7fpass-wörd\r", "pass-wörd\r"}, want: "pass-wörd"},
		"passwords differ":   {typed: []string{"one-password\r", "two-password\r"}, wantErr: "differ"},
		"ctrl-c":             {typed: []string{"secr\x03"}, wantErr: "interrupted"},
		"ctrl-c second time": {typed: []string{"secret-pw\r", "\x03"}, wantErr: "interrupted"},
		"ctrl-d":             {typed: []string{"\x04"}, wantErr: "end of input"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			m, s := openPTY(t)
			before := termFlags(t, s)
			e := &env{ctx: t.Context(), stdin: s, stderr: s}
			type result struct {
				pw  string
				err error
			}
			done := make(chan result, 1)
			go func() {
				pw, err := e.readNewPassword("alice", false, testPasswordRules)
				done <- result{pw, err}
			}()
			var shown strings.Builder
			for i, typed := range tt.typed {
				// The prompt appears only once echo is off.
				shown.WriteString(readUntil(t, m, prompts[i]))
				if _, err := m.WriteString(typed); err != nil {
					t.Fatal(err)
				}
			}
			r := <-done
			shown.WriteString(readUntil(t, m, "\n"))

			if tt.wantErr != "" {
				if r.err == nil || !strings.Contains(r.err.Error(), tt.wantErr) {
					t.Errorf("err = %v, want %q", r.err, tt.wantErr)
				}
			} else if r.err != nil || r.pw != tt.want {
				t.Errorf("password = %q, %v; want %q", r.pw, r.err, tt.want)
			}
			// Nothing typed was echoed: the terminal showed only the prompts.
			rest := shown.String()
			for _, p := range prompts {
				rest = strings.ReplaceAll(rest, p, "")
			}
			if strings.TrimSpace(rest) != "" {
				t.Errorf("the terminal showed %q besides the prompts", rest)
			}
			if after := termFlags(t, s); after.Lflag != before.Lflag || after.Iflag != before.Iflag || after.Oflag != before.Oflag {
				t.Errorf("terminal modes not restored: before %+v, after %+v", before, after)
			}
		})
	}
}

func TestReadTerminalPasswordRestoresOnCancel(t *testing.T) {
	m, s := openPTY(t)
	before := termFlags(t, s)
	ctx, cancel := context.WithCancel(t.Context())
	e := &env{ctx: ctx, stdin: s, stderr: s}
	done := make(chan error, 1)
	go func() {
		_, err := e.readNewPassword("alice", false, testPasswordRules)
		done <- err
	}()
	readUntil(t, m, "New password for alice: ")
	if tio := termFlags(t, s); tio.Lflag&unix.ECHO != 0 {
		t.Error("echo is on while the password is typed")
	}
	cancel()
	if err := <-done; err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Errorf("err = %v, want interrupted", err)
	}
	if after := termFlags(t, s); after.Lflag != before.Lflag || after.Lflag&unix.ECHO == 0 {
		t.Errorf("echo not restored after cancel: before %#x, after %#x", before.Lflag, after.Lflag)
	}
}

// testPasswordRules are the account rules as the auth service applies them.
func testPasswordRules(pw string) error {
	return auth.New(nil, nil, auth.Options{}).CheckPassword(pw)
}

// TestShortPasswordRefusedBeforeRepeating: a password that breaks the rules
// is refused as soon as it is typed, not after typing it twice.
func TestShortPasswordRefusedBeforeRepeating(t *testing.T) {
	m, s := openPTY(t)
	e := &env{ctx: t.Context(), stdin: s, stderr: s}
	type result struct {
		pw  string
		err error
	}
	done := make(chan result, 1)
	go func() {
		pw, err := e.readNewPassword("alice", false, testPasswordRules)
		done <- result{pw, err}
	}()
	readUntil(t, m, "New password for alice: ")
	m.WriteString("short\r")
	shown := readUntil(t, m, "New password for alice: ")
	if !strings.Contains(shown, "at least 8 characters") || strings.Contains(shown, "Repeat") {
		t.Fatalf("after a short password the terminal showed %q; want the rule and the first prompt again", shown)
	}
	m.WriteString("long-enough-pw\r")
	readUntil(t, m, "Repeat the password: ")
	m.WriteString("long-enough-pw\r")
	if r := <-done; r.err != nil || r.pw != "long-enough-pw" {
		t.Fatalf("password %q, %v", r.pw, r.err)
	}

	// Three wrong tries end the command.
	go func() {
		pw, err := e.readNewPassword("alice", false, testPasswordRules)
		done <- result{pw, err}
	}()
	for range passwordTries {
		readUntil(t, m, "New password for alice: ")
		m.WriteString("tiny\r")
	}
	if r := <-done; r.err == nil || !strings.Contains(r.err.Error(), "at least 8") {
		t.Fatalf("after %d short passwords: %q, %v", passwordTries, r.pw, r.err)
	}
}

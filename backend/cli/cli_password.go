package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"unicode/utf8"

	"golang.org/x/term"
)

// maxStdinPassword bounds what --password-stdin reads; bcrypt uses at most
// 72 bytes, so anything near this limit is a mistake.
const maxStdinPassword = 4096

// errNoTerminal means a password was needed but stdin is not a terminal and
// --password-stdin was not given.
var errNoTerminal = errors.New("stdin is not a terminal: pass --password-stdin to read the password from stdin")

// checkPasswordSource returns errNoTerminal if a password cannot be read:
// it is not on stdin and stdin is not a terminal to type it at.
func (e *env) checkPasswordSource(fromStdin bool) error {
	if fromStdin {
		return nil
	}
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return errNoTerminal
}

// passwordTries is how often a password that breaks the rules may be typed
// again before the command gives up.
const passwordTries = 3

// readNewPassword gets a new password for username: all of stdin (one line,
// the final newline dropped) with --password-stdin, else typed twice at the
// terminal without echo. check holds the password to the account rules as
// soon as it is typed, so a short one is refused before it is typed again.
func (e *env) readNewPassword(username string, fromStdin bool, check func(string) error) (string, error) {
	if fromStdin {
		pw, err := readPasswordStdin(e.stdin)
		if err == nil {
			err = check(pw)
		}
		return pw, err
	}
	if err := e.checkPasswordSource(false); err != nil {
		return "", err
	}
	f := e.stdin.(*os.File)
	var first string
	for try := 1; ; try++ {
		var err error
		first, err = e.readTerminalPassword(f, fmt.Sprintf("New password for %s: ", username))
		if err != nil {
			return "", err
		}
		err = check(first)
		if err == nil {
			break
		}
		if try == passwordTries {
			return "", err
		}
		fmt.Fprintf(e.stderr, "%v. Try again.\n", err)
	}
	second, err := e.readTerminalPassword(f, "Repeat the password: ")
	if err != nil {
		return "", err
	}
	if first != second {
		return "", errors.New("the two passwords differ; nothing was changed")
	}
	return first, nil
}

func readPasswordStdin(r io.Reader) (string, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxStdinPassword+1))
	if err != nil {
		return "", fmt.Errorf("reading the password from stdin: %w", err)
	}
	if len(data) > maxStdinPassword {
		return "", fmt.Errorf("stdin holds more than %d bytes; --password-stdin expects just the password", maxStdinPassword)
	}
	data = bytes.TrimSuffix(data, []byte("\n"))
	data = bytes.TrimSuffix(data, []byte("\r"))
	if len(data) == 0 {
		return "", errors.New("no password on stdin")
	}
	if bytes.ContainsAny(data, "\r\n") {
		return "", errors.New("stdin holds several lines; --password-stdin expects the password on one line")
	}
	return string(data), nil
}

// Control keys understood while typing a password.
const (
	keyInterrupt = 0x03 // Ctrl-C
	keyEOF       = 0x04 // Ctrl-D
	keyBackspace = 0x08
	keyKill      = 0x15 // Ctrl-U: erase the line
	keyDelete    = 0x7f
)

// readTerminalPassword shows prompt and reads one line from the terminal f
// with echo off. The terminal is put in raw mode before the prompt appears
// and restored on every way out: Enter, Ctrl-C, Ctrl-D, a read error, or the
// context ending (SIGTERM). Raw mode turns Ctrl-C into a key rather than a
// signal, so the terminal is never left without echo.
func (e *env) readTerminalPassword(f *os.File, prompt string) (string, error) {
	fd := int(f.Fd())
	state, err := term.MakeRaw(fd)
	if err != nil {
		return "", fmt.Errorf("reading the password: %w", err)
	}
	fmt.Fprint(e.stderr, prompt)

	type result struct {
		pw  string
		err error
	}
	done := make(chan result, 1)
	go func() {
		pw, err := readRawLine(f)
		done <- result{pw, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-e.ctx.Done():
		// The reader goroutine stays blocked until the process exits.
		r.err = fmt.Errorf("interrupted: %w", e.ctx.Err())
	}
	if err := term.Restore(fd, state); err != nil && r.err == nil {
		r.err = fmt.Errorf("restoring the terminal: %w", err)
	}
	fmt.Fprintln(e.stderr)
	return r.pw, r.err
}

// readRawLine reads keys up to Enter from a terminal in raw mode.
func readRawLine(r io.Reader) (string, error) {
	var line []byte
	var key [1]byte
	for {
		n, err := r.Read(key[:])
		if n == 0 {
			if err == nil {
				continue
			}
			if errors.Is(err, io.EOF) {
				return "", errors.New("no password typed (end of input)")
			}
			return "", fmt.Errorf("reading the password: %w", err)
		}
		switch c := key[0]; c {
		case '\r', '\n':
			return string(line), nil
		case keyInterrupt:
			return "", errors.New("interrupted")
		case keyEOF:
			if len(line) == 0 {
				return "", errors.New("no password typed (end of input)")
			}
		case keyBackspace, keyDelete:
			if len(line) > 0 {
				_, size := utf8.DecodeLastRune(line)
				line = line[:len(line)-size]
			}
		case keyKill:
			line = line[:0]
		default:
			if len(line) >= maxStdinPassword {
				return "", fmt.Errorf("the password is longer than %d bytes", maxStdinPassword)
			}
			line = append(line, c)
		}
	}
}

package admin

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// Explain says in plain words why a service at where did not answer, for a
// person at a settings screen: "Could not reach http://127.0.0.1:8880/v1:
// nothing is listening there." It reads the network failure under the
// clients' own wrapping (every client keeps it in its error chain); an
// error that is not a network failure (a missing model, a refused key, an
// answer of the wrong kind) already says what happened and is kept as is.
// This is the one place that turns dial errors into words.
func Explain(err error, where string, waited time.Duration) string {
	var (
		dns     *net.DNSError
		op      *net.OpError
		unknown x509.UnknownAuthorityError
		verify  *tls.CertificateVerificationError
		record  tls.RecordHeaderError
	)
	reach := "Could not reach " + where + ": "
	switch {
	case err == nil:
		return ""
	case errors.Is(err, syscall.ECONNREFUSED):
		return reach + "nothing is listening there. Is the server started, and is the port right?"
	case errors.As(err, &dns):
		return reach + fmt.Sprintf("no computer is called %q on this network.", dns.Name)
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return reach + "no route to that address. Is that computer on and on this network?"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &op) && op.Timeout():
		return fmt.Sprintf("%s did not answer within %s. Is the address right, and is the server still starting?", where, waited.Round(time.Second))
	case errors.As(err, &unknown), errors.As(err, &verify):
		return reach + "its HTTPS certificate is not one this computer trusts."
	case errors.As(err, &record):
		return reach + "it does not speak HTTPS. Try the address with http://."
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return reach + "it closed the connection without answering. Is it the right kind of server?"
	case errors.Is(err, exec.ErrNotFound):
		return fmt.Sprintf("The program %s is not installed (on Debian or Ubuntu: sudo apt install espeak-ng).", where)
	}
	return sentence(err.Error())
}

// sentence starts msg with a capital and ends it with a full stop.
func sentence(msg string) string {
	msg = strings.TrimSpace(msg)
	if msg == "" {
		return "It failed without saying why."
	}
	msg = strings.ToUpper(msg[:1]) + msg[1:]
	if !strings.HasSuffix(msg, ".") && !strings.HasSuffix(msg, "?") && !strings.HasSuffix(msg, "!") {
		msg += "."
	}
	return msg
}

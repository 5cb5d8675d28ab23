package ingest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"path"
	"strings"
	"syscall"
	"time"
)

// httpClient copies the injected client, or builds one, and installs the
// redirect rule; the built one also refuses private addresses at dial time
// when BlockPrivateHosts is set, which DNS tricks cannot get around.
func (in *Ingester) httpClient() *http.Client {
	var c http.Client
	if in.opts.HTTPClient != nil {
		c = *in.opts.HTTPClient
	} else {
		dialer := &net.Dialer{Timeout: 10 * time.Second, Control: in.dialControl}
		c.Transport = &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           dialer.DialContext,
			ForceAttemptHTTP2:     true,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: in.opts.HTTPTimeout,
			IdleConnTimeout:       30 * time.Second,
			MaxIdleConns:          8,
		}
	}
	c.CheckRedirect = in.checkRedirect
	return &c
}

func (in *Ingester) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > in.opts.MaxRedirects {
		return failf(ErrFetch, "it redirects more than %d times (last to %s) — it may redirect in a loop", in.opts.MaxRedirects, req.URL.Redacted())
	}
	return in.checkURL(req.URL)
}

// checkURL enforces the scheme rule and, when asked, the private-host rule
// for hosts written as addresses.
func (in *Ingester) checkURL(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return failf(ErrScheme, "%q links cannot be read", u.Scheme+":")
	}
	if u.Host == "" {
		return failf(ErrInvalidInput, "the link %q has no host", u.Redacted())
	}
	if in.opts.BlockPrivateHosts {
		host := u.Hostname()
		if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
			return failf(ErrPrivateHost, "%s is this computer", host)
		}
		if ip, err := netip.ParseAddr(host); err == nil && !publicIP(ip) {
			return failf(ErrPrivateHost, "%s is a private address", host)
		}
	}
	return nil
}

func (in *Ingester) dialControl(_, address string, _ syscall.RawConn) error {
	if !in.opts.BlockPrivateHosts {
		return nil
	}
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !publicIP(ip) {
		return failf(ErrPrivateHost, "%s is a private address", host)
	}
	return nil
}

func publicIP(ip netip.Addr) bool {
	ip = ip.Unmap()
	return ip.IsGlobalUnicast() && !ip.IsPrivate() && !ip.IsLoopback() && !ip.IsLinkLocalUnicast() &&
		!netip.MustParsePrefix("100.64.0.0/10").Contains(ip) && !netip.MustParsePrefix("fc00::/7").Contains(ip)
}

// parseLink accepts "example.com/page" as https and refuses other schemes.
func (in *Ingester) parseLink(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, failf(ErrInvalidInput, "the link is empty")
	}
	if !strings.Contains(raw, "://") && !strings.Contains(raw, ":") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, failf(ErrInvalidInput, "%q is not a valid link: %v", raw, err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if err := in.checkURL(u); err != nil {
		return nil, err
	}
	return u, nil
}

// url downloads a page or document within the time, size and redirect
// limits and reads it according to its Content-Type, checked against its
// content.
func (in *Ingester) url(ctx context.Context, raw string, report func(Progress)) (Document, error) {
	u, err := in.parseLink(raw)
	if err != nil {
		return Document{}, err
	}
	tctx, cancel := context.WithTimeout(ctx, in.opts.HTTPTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(tctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Document{}, failf(ErrInvalidInput, "%v", err)
	}
	req.Header.Set("User-Agent", in.opts.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,text/markdown,text/plain;q=0.9,application/pdf;q=0.9,audio/*;q=0.8,*/*;q=0.5")
	report(Progress{Stage: StageFetching})
	resp, err := in.hc.Do(req)
	if err != nil {
		return Document{}, in.fetchError(ctx, u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return Document{}, failf(ErrFetch, "%s answered %s", u.Host, resp.Status)
	}
	ctype := resp.Header.Get("Content-Type")
	media, _, _ := mime.ParseMediaType(ctype)
	limit, what := in.opts.MaxSourceBytes, "page"
	if strings.HasPrefix(media, "audio/") || strings.HasPrefix(media, "video/") {
		limit, what = in.opts.MaxAudioBytes, "recording"
	}
	if resp.ContentLength > limit {
		return Document{}, failf(ErrTooLarge, "the %s is %s; the limit is %s", what, sizeString(resp.ContentLength), sizeString(limit))
	}
	body := &countingReader{r: resp.Body, total: resp.ContentLength, report: report}
	data, err := readAll(body, limit, what)
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			return Document{}, err
		}
		return Document{}, in.fetchError(ctx, u, err)
	}
	final := resp.Request.URL
	name := final.String()
	if len(data) == 0 {
		return Document{}, failf(ErrEmpty, "%s sent an empty answer", u.Host)
	}
	k, err := urlKind(media, path.Base(final.Path), data)
	if err != nil {
		return Document{}, err
	}
	if k == kindAudio {
		return in.audio(ctx, path.Base(final.Path), data[:min(len(data), sniffLen)], bytes.NewReader(data), int64(len(data)), report)
	}
	report(Progress{Stage: StageExtracting})
	return in.extract(ctx, k, name, data, ctype, final)
}

// urlKind trusts the Content-Type for the kind of text but the bytes for
// PDFs, audio and binary data.
func urlKind(media, base string, data []byte) (kind, error) {
	head := data[:min(len(data), sniffLen)]
	if _, ok := DetectAudio(head); ok {
		return kindAudio, nil
	}
	switch {
	case media == "application/pdf" || strings.HasPrefix(string(head), "%PDF-"):
		if !strings.Contains(string(head[:min(len(head), 1024)]), "%PDF-") {
			return 0, failf(ErrUnsupported, "the link says it serves a PDF but sends %s", describe(head))
		}
		return kindPDF, nil
	case media == "text/html" || media == "application/xhtml+xml":
		return kindHTML, nil
	case media == "text/markdown" || media == "text/x-markdown":
		return kindMarkdown, nil
	case strings.HasPrefix(media, "text/"):
		return sniff(base, head)
	case media == "" || media == "application/octet-stream" || media == "binary/octet-stream":
		return sniff(base, head)
	case strings.HasPrefix(media, "audio/") || strings.HasPrefix(media, "video/"):
		return 0, failf(ErrNotAudio, "the link serves %s, but the content is %s", media, describe(head))
	}
	return 0, failf(ErrUnsupported, "the link serves %s, which is not a page, document or recording podcastfy can read", media)
}

func (in *Ingester) fetchError(ctx context.Context, u *url.URL, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	for _, kind := range []error{ErrFetch, ErrScheme, ErrPrivateHost} {
		if errors.Is(err, kind) {
			return err
		}
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		return failf(ErrFetch, "%s did not send the page within %s", u.Host, in.opts.HTTPTimeout)
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return failf(ErrFetch, "the host %s was not found — check the link", u.Hostname())
	}
	return failf(ErrFetch, "%s could not be reached: %v", u.Host, err)
}

// countingReader reports download progress about every 256 KiB.
type countingReader struct {
	r        io.Reader
	n, total int64
	last     int64
	report   func(Progress)
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	if c.n-c.last >= 256<<10 {
		c.last = c.n
		c.report(Progress{Stage: StageFetching, Done: c.n, Total: max(c.total, 0)})
	}
	return n, err
}

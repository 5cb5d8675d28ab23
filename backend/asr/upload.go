package asr

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
)

// upload is one multipart POST carrying the audio.
type upload struct {
	path      string
	query     url.Values
	header    http.Header
	fields    [][2]string // form fields, sent before the file in this order
	fileField string
}

// sent is what post hands back: the 2xx body and the duration estimate.
type sent struct {
	body     []byte
	seconds  float64 // estimated audio duration
	exact    bool    // seconds came from a header
	endpoint string
}

// post streams the audio as multipart/form-data with a known Content-Length
// (some servers refuse chunked uploads), under a deadline scaled to the
// audio's estimated duration, reporting progress as the body is read.
func (c *client) post(ctx context.Context, up upload, filename string, audio io.Reader, size int64, opts Options) (sent, error) {
	if size <= 0 {
		return sent{}, fmt.Errorf("%w: the audio is empty", ErrBadAudio)
	}
	head := make([]byte, min(int64(SniffLen), size))
	if n, err := io.ReadFull(audio, head); err != nil {
		return sent{}, fmt.Errorf("%w: the audio ended after %d of %d bytes", ErrBadAudio, n, size)
	}
	seconds, exact := EstimateDuration(head, size)
	budget := c.budget(seconds)

	prefix, suffix, ctype, err := multipartFrame(up, filename)
	if err != nil {
		return sent{}, err
	}
	pr := &progressReader{r: io.MultiReader(bytes.NewReader(head), io.LimitReader(audio, size-int64(len(head)))),
		total: size, report: opts.Progress}
	body := io.MultiReader(bytes.NewReader(prefix), pr, bytes.NewReader(suffix))

	tctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	endpoint := c.endpoint(up.path, up.query)
	req, err := http.NewRequestWithContext(tctx, http.MethodPost, endpoint, body)
	if err != nil {
		return sent{}, fmt.Errorf("%s: %w", c.human, err)
	}
	req.ContentLength = int64(len(prefix)) + size + int64(len(suffix))
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Accept", "application/json")
	for k, v := range up.header {
		req.Header[k] = v
	}
	c.log.Debug("transcribing", "url", endpoint, "bytes", size, "seconds", seconds, "budget", budget)
	pr.emit(StageUploading)

	resp, err := c.hc.Do(req)
	if err != nil {
		if errors.Is(err, ErrBadAudio) {
			return sent{}, err
		}
		if terr := c.transcribeTimeout(ctx, seconds, budget, err); terr != nil {
			return sent{}, terr
		}
		return sent{}, c.unreachable(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		if terr := c.transcribeTimeout(ctx, seconds, budget, err); terr != nil {
			return sent{}, terr
		}
		return sent{}, c.unreachable(err)
	}
	if resp.StatusCode >= 300 {
		return sent{}, &StatusError{Provider: c.human, URL: endpoint, StatusCode: resp.StatusCode, Message: errorMessage(out)}
	}
	if len(out) > maxResponse {
		return sent{}, c.badResponse(endpoint, fmt.Errorf("the answer is larger than %d MB", maxResponse>>20))
	}
	pr.emit(StageDone)
	return sent{body: out, seconds: seconds, exact: exact, endpoint: endpoint}, nil
}

// multipartFrame renders everything around the file's bytes: the fields and
// the file part's header before, the closing boundary after.
func multipartFrame(up upload, filename string) (prefix, suffix []byte, ctype string, err error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, f := range up.fields {
		if err := w.WriteField(f[0], f[1]); err != nil {
			return nil, nil, "", err
		}
	}
	h := make(textproto.MIMEHeader)
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, up.fileField, safeFilename(filename)))
	h.Set("Content-Type", "application/octet-stream")
	if _, err := w.CreatePart(h); err != nil {
		return nil, nil, "", err
	}
	prefix = bytes.Clone(buf.Bytes())
	buf.Reset()
	if err := w.Close(); err != nil {
		return nil, nil, "", err
	}
	return prefix, bytes.Clone(buf.Bytes()), w.FormDataContentType(), nil
}

// safeFilename keeps the base name (servers pick decoders by extension) and
// drops characters that would break the header.
func safeFilename(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == '"' || r == 0x7f {
			return '_'
		}
		return r
	}, name)
	if name == "" || name == "." || name == "/" {
		return "audio"
	}
	return name
}

// progressReader counts audio bytes as the transport reads them and reports
// roughly every percent; it turns a short read into ErrBadAudio.
type progressReader struct {
	r      io.Reader
	total  int64
	report func(Progress)

	mu       sync.Mutex
	n        int64
	reported int64
	stage    string
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.mu.Lock()
	p.n += int64(n)
	done := p.n
	p.mu.Unlock()
	if err == io.EOF && done < p.total {
		return n, fmt.Errorf("%w: the audio ended after %d of %d bytes", ErrBadAudio, done, p.total)
	}
	if done-p.reportedBytes() >= max(p.total/100, 1) || done == p.total {
		p.emit(StageUploading)
	}
	if done == p.total {
		p.emit(StageTranscribing)
	}
	return n, err
}

func (p *progressReader) reportedBytes() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.reported
}

// emit reports a stage once per stage (uploading: once per step of bytes);
// calls never overlap.
func (p *progressReader) emit(stage string) {
	if p.report == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case stageRank(stage) < stageRank(p.stage):
		return // a late upload report after the server answered
	case stage == p.stage && (stage != StageUploading || p.n == p.reported):
		return // nothing new
	}
	p.stage, p.reported = stage, p.n
	p.report(Progress{Stage: stage, Sent: p.n, Total: p.total})
}

func stageRank(s string) int {
	switch s {
	case StageUploading:
		return 1
	case StageTranscribing:
		return 2
	case StageDone:
		return 3
	}
	return 0
}

package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"strconv"

	"podcastfy/backend/core"
)

// maxFormField bounds one non-file field of an upload form ("text" may be
// as long as a JSON body).
const maxFormField = 64 << 10

// Upload form fields that carry files.
const (
	fieldAudio = "audio" // one recording
	fieldFile  = "file"  // a document (text, Markdown, HTML, PDF); repeatable
)

// generateAudio makes a podcast from a recording: a multipart form with the
// file in "audio", optionally documents in "file", and the options of the
// text request as fields. The job transcribes the recording with the
// configured Whisper server and keeps it beside the podcast.
func (s *server) generateAudio(w http.ResponseWriter, r *http.Request) {
	s.generateUpload(w, r, fieldAudio)
}

// generateFiles makes a podcast from uploaded documents: the same form as
// generateAudio with one or more files in "file".
func (s *server) generateFiles(w http.ResponseWriter, r *http.Request) {
	s.generateUpload(w, r, fieldFile)
}

// generateUpload saves the form's files in a fresh upload folder and starts
// a job that owns them. Until the job starts, every error removes them.
//
// Before a byte is read, the job service says whether the user may start a
// job and whether the declared length fits their disk budget and the disk;
// a body of unknown length is claimed as it arrives and stops at the limit.
func (s *server) generateUpload(w http.ResponseWriter, r *http.Request, need string) {
	owner := currentUser(r.Context()).ID
	claim, err := s.Jobs.ClaimUpload(owner, s.UploadDir, r.ContentLength)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	// Once the job has started it owns the files, and counts them itself.
	defer claim.Release()
	form, err := s.readUploadForm(w, r, claim)
	if err == nil {
		err = form.require(need)
	}
	if err == nil {
		err = form.complete()
	}
	if err != nil {
		form.remove()
		s.writeError(w, r, err)
		return
	}
	req := form.req.toCore(owner)
	req.Sources = append(form.sources, req.Sources...)
	if len(form.sources) > 0 && req.Text == "" {
		req.SourceName = form.sources[0].Name
	}
	if !s.startJob(w, r, req) {
		form.remove()
	}
}

// uploadForm is a read upload: the request's options and the files saved
// in dir.
type uploadForm struct {
	req     generateRequest
	sources []core.Source // the saved files, in the order sent
	dir     string        // the upload folder; "" until a file arrives
	counts  map[string]int
	claim   *core.Claim // disk room for the files as they are written
}

// remove deletes the saved files (before a job owns them).
func (f *uploadForm) remove() {
	if f != nil && f.dir != "" {
		os.RemoveAll(f.dir)
	}
}

// require checks that the form has what its route needs.
func (f *uploadForm) require(field string) error {
	if f.counts[field] > 0 {
		return nil
	}
	if field == fieldAudio {
		return fieldError(fieldAudio, "send the recording in the form field \"audio\"")
	}
	return fieldError(fieldFile, "send at least one document in the form field \"file\" (text, Markdown, HTML or PDF)")
}

// readUploadForm streams the multipart form, checking every field and
// saving every file part. The form is never nil, so the caller can remove
// what was saved.
func (s *server) readUploadForm(w http.ResponseWriter, r *http.Request, claim *core.Claim) (*uploadForm, error) {
	form := &uploadForm{counts: map[string]int{}, claim: claim}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return form, &Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type",
			Message: "send the upload as multipart/form-data with a recording in the field \"audio\" or documents in the field \"file\""}
	}
	limit := s.maxUpload + MaxJSONBytes // the files plus the other fields
	if r.ContentLength > limit {
		return form, uploadTooLarge(s.maxUpload)
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mr, err := r.MultipartReader()
	if err != nil {
		return form, badRequest("bad_multipart", "the multipart form cannot be read: "+err.Error())
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return form, formError(err, s.maxUpload)
		}
		name := part.FormName()
		switch name {
		case fieldAudio, fieldFile:
			err = s.saveFilePart(form, name, part)
		default:
			err = setFormField(&form.req, name, part, s.maxUpload)
		}
		if err != nil {
			return form, err
		}
		// Refused as soon as one too many arrives, not after saving them all.
		if err := core.CheckSourceCount(len(form.sources) + len(form.req.Sources)); err != nil {
			return form, err
		}
	}
	// The other fields are checked by the job service when it starts the job.
	return form, nil
}

func uploadTooLarge(limit int64) *Error {
	return &Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large",
		Message: fmt.Sprintf("the upload is larger than the limit of %s (server.maxUploadMB in config.yaml)", formatBytes(limit))}
}

func formError(err error, limit int64) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return uploadTooLarge(limit)
	}
	return badRequest("bad_multipart", "the multipart form is malformed: "+err.Error())
}

// setFormField reads one text field of the upload form into req;
// uploadLimit names the limit when the whole upload is too large.
func setFormField(req *generateRequest, name string, part *multipart.Part, uploadLimit int64) error {
	limit := int64(maxFormField)
	if name == "text" {
		limit = MaxJSONBytes
	}
	data, err := io.ReadAll(io.LimitReader(part, limit+1))
	if err != nil {
		return formError(err, uploadLimit)
	}
	if int64(len(data)) > limit {
		return badRequest("too_large", fmt.Sprintf("form field %q is longer than %s", clip(name), formatBytes(limit)))
	}
	v := string(data)
	switch name {
	case "text":
		req.Text = v
	case "url":
		req.Sources = append(req.Sources, sourceRef{Kind: "url", URL: v})
	case "title":
		req.Title = v
	case "templateId":
		req.TemplateID = v
	case "language":
		req.Language = v
	case "focus":
		req.Focus = v
	case "writer":
		req.Writer = v
	case "tts":
		req.TTS = v
	case "minutes":
		m, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return fieldError("minutes", "form field \"minutes\" must be a number")
		}
		req.Minutes = m
	case "voices":
		if err := json.Unmarshal(data, &req.Voices); err != nil {
			return fieldError("voices", "form field \"voices\" must be a JSON object of speaker name to voice id")
		}
	default:
		return badRequest("unknown_field", fmt.Sprintf("unknown form field %q; see /docs", clip(name)))
	}
	return nil
}

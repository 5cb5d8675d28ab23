package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
)

// maxFormField bounds one non-file field of an upload form.
const maxFormField = 64 << 10

// generateAudio accepts a recording to turn into a podcast: a multipart
// form with the file in "audio" and the fields of the text request. The
// form is read and checked in full; transcription is not wired into the
// server yet, so a valid request is answered 501 naming what is missing.
func (s *server) generateAudio(w http.ResponseWriter, r *http.Request) {
	req, audioBytes, err := s.readAudioForm(w, r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.Log.Info("audio upload refused: transcription is not available", "bytes", audioBytes, "title", req.Title)
	s.writeError(w, r, &Error{Status: http.StatusNotImplemented, Code: "not_implemented",
		Message: "making a podcast from a recording needs speech recognition (a Whisper server through backend/asr and backend/ingest), " +
			"which this server does not offer yet; transcribe the recording elsewhere and send the text to POST /podcasts/generate/text"})
}

// readAudioForm streams the multipart form, checking every field, and
// returns the request and the size of the audio file.
func (s *server) readAudioForm(w http.ResponseWriter, r *http.Request) (generateRequest, int64, error) {
	var req generateRequest
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return req, 0, &Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type",
			Message: "send the recording as multipart/form-data with the file in the field \"audio\""}
	}
	limit := s.maxUpload + MaxJSONBytes // the file plus the other fields
	if r.ContentLength > limit {
		return req, 0, uploadTooLarge(s.maxUpload)
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mr, err := r.MultipartReader()
	if err != nil {
		return req, 0, badRequest("bad_multipart", "the multipart form cannot be read: "+err.Error())
	}
	var audioBytes int64 = -1
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return req, 0, formError(err, s.maxUpload)
		}
		name := part.FormName()
		if name == "audio" {
			if audioBytes >= 0 {
				return req, 0, badRequest("bad_multipart", "send one file in the field \"audio\"")
			}
			n, err := io.Copy(io.Discard, part)
			if err != nil {
				return req, 0, formError(err, s.maxUpload)
			}
			if n == 0 {
				return req, 0, badRequest("empty_file", "the file in the field \"audio\" is empty")
			}
			audioBytes = n
			continue
		}
		if err := setFormField(&req, name, part); err != nil {
			return req, 0, err
		}
	}
	if audioBytes < 0 {
		return req, 0, required("audio")
	}
	if err := req.checkOptions(); err != nil {
		return req, 0, err
	}
	return req, audioBytes, nil
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

// setFormField reads one text field of the upload form into req.
func setFormField(req *generateRequest, name string, part *multipart.Part) error {
	data, err := io.ReadAll(io.LimitReader(part, maxFormField+1))
	if err != nil {
		return formError(err, 0)
	}
	if len(data) > maxFormField {
		return badRequest("too_large", fmt.Sprintf("form field %q is longer than %d KB", name, maxFormField>>10))
	}
	v := string(data)
	switch name {
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
			return badRequest("wrong_type", "form field \"minutes\" must be a number")
		}
		req.Minutes = m
	case "voices":
		if err := json.Unmarshal(data, &req.Voices); err != nil {
			return badRequest("wrong_type", "form field \"voices\" must be a JSON object of speaker name to voice id")
		}
	default:
		return badRequest("unknown_field", fmt.Sprintf("unknown form field %q; see /docs", name))
	}
	return nil
}

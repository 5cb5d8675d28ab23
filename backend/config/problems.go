package config

import (
	"errors"

	"podcastfy/backend/apperr"
	"podcastfy/backend/config/strictyaml"
)

// Problems checks settings edited on a settings screen (the desktop's or
// the web's, through the same service) as Save would, and returns each
// problem at its key ("tts.openai.url", "ollama.options.top_p"), in the
// order Validate finds them; nil when the settings can be saved.
func (s Settings) Problems() []*apperr.Error {
	s = s.clone()
	s.followPreset()
	err := s.Validate()
	if err == nil {
		return nil
	}
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	out := make([]*apperr.Error, 0, len(errs))
	for _, e := range errs {
		var fe *strictyaml.FieldError
		if errors.As(e, &fe) {
			out = append(out, apperr.Field(fe.Path, "%s", fe.Problem))
		} else {
			out = append(out, apperr.New(apperr.Invalid, "%v", e))
		}
	}
	return out
}

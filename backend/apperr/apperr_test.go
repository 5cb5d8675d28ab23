package apperr

import (
	"errors"
	"fmt"
	"testing"
)

type coded struct{ field string }

func (c coded) Error() string      { return "coded " + c.field }
func (c coded) ErrorCode() string  { return Invalid }
func (c coded) ErrorField() string { return c.field }

func TestFrom(t *testing.T) {
	sentinel := &Error{Code: NotFound, Message: "not found"}
	for name, tc := range map[string]struct {
		err  error
		want Error
	}{
		"field error":         {Field("minutes", "between %d and %d", 1, 2), Error{Invalid, "minutes", "between 1 and 2"}},
		"wrapped sentinel":    {fmt.Errorf("podcast x: %w", sentinel), Error{NotFound, "", "podcast x: not found"}},
		"coded type, wrapped": {fmt.Errorf("creating: %w", coded{"username"}), Error{Invalid, "username", "creating: coded username"}},
		"anything else":       {errors.New("disk on fire"), Error{Internal, "", "disk on fire"}},
	} {
		got := From(tc.err)
		if *got != tc.want {
			t.Errorf("%s: From = %+v, want %+v", name, *got, tc.want)
		}
	}
	if From(nil) != nil || CodeOf(nil) != "" {
		t.Error("From(nil) is not nil")
	}
	if !errors.Is(fmt.Errorf("x: %w", sentinel), sentinel) {
		t.Error("a sentinel *Error is not found by errors.Is")
	}
}

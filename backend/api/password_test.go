package api

import (
	"strings"
	"testing"
)

func TestChangePassword(t *testing.T) {
	tt := newTester(t, testOptions{})
	change := func(current, next string) map[string]string {
		return map[string]string{"currentPassword": current, "newPassword": next}
	}
	tt.do("POST", "/me/password", "", change(password, "a new password")).want(401, "unauthorized")
	for name, c := range map[string]struct {
		body   any
		status int
		want   string
	}{
		"wrong current password": {change("not it", "a new password"), 403, "forbidden:currentPassword"},
		"new password too short": {change(password, "short"), 400, "invalid_request:newPassword"},
		"new password too long":  {change(password, strings.Repeat("x", 73)), 400, "invalid_request:newPassword"},
		"no current password":    {map[string]string{"newPassword": "a new password"}, 400, "invalid_request:currentPassword"},
		"no new password":        {map[string]string{"currentPassword": password}, 400, "invalid_request:newPassword"},
		"unknown field":          {map[string]string{"currentPassword": password, "newPassword": "a new password", "user": "bob"}, 400, "unknown_field"},
		"not JSON":               {"currentPassword=x", 400, "invalid_json"},
		"too large":              {`{"currentPassword":"` + strings.Repeat("a", MaxJSONBytes) + `"}`, 413, "too_large"},
	} {
		t.Run(name, func(t *testing.T) {
			tt.with(t).do("POST", "/me/password", tt.aliceTok, c.body).want(c.status, c.want)
		})
	}
	// None of that changed anything.
	tt.login("alice")

	otherDevice := tt.login("alice")
	var changed struct {
		Token   string `json:"token"`
		Message string `json:"message"`
		User    struct {
			Username string `json:"username"`
		} `json:"user"`
	}
	r := tt.do("POST", "/me/password", tt.aliceTok, change(password, "a new password")).want(200)
	r.decode(&changed)
	if changed.User.Username != "alice" || changed.Token == "" || !strings.Contains(changed.Message, "must log in again") {
		t.Fatalf("answer: %s", r.body)
	}
	var v any
	r.decode(&v)
	for _, problem := range checkSchema(tt.doc(), map[string]any{"$ref": "#/components/schemas/PasswordChanged"}, v, "PasswordChanged") {
		t.Error(problem)
	}
	// The caller goes on with the new token; every other session of alice
	// ends; bob's is untouched.
	tt.do("GET", "/me", changed.Token, nil).want(200)
	tt.do("GET", "/me", tt.aliceTok, nil).want(401, "invalid_token")
	tt.do("GET", "/me", otherDevice, nil).want(401, "invalid_token")
	tt.do("GET", "/me", tt.bobTok, nil).want(200)
	tt.do("POST", "/auth/login", "", map[string]string{"username": "alice", "password": password}).want(401, "invalid_credentials")
	tt.do("POST", "/auth/login", "", map[string]string{"username": "alice", "password": "a new password"}).want(200)
}

// TestChangePasswordThrottled: a session token is no way to guess the
// password: wrong current passwords back off as failed logins do.
func TestChangePasswordThrottled(t *testing.T) {
	tt := newTester(t, testOptions{})
	tt.clock.freeze()
	wrong := map[string]string{"currentPassword": "guess", "newPassword": "a new password"}
	for range 5 {
		tt.do("POST", "/me/password", tt.bobTok, wrong).want(403, "forbidden:currentPassword")
	}
	right := map[string]string{"currentPassword": password, "newPassword": "a new password"}
	r := tt.do("POST", "/me/password", tt.bobTok, right).want(429, "throttled")
	if r.header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	// Alice is not held back by bob's guesses.
	tt.do("POST", "/me/password", tt.aliceTok, right).want(200)
	tt.clock.advance(2e9)
	tt.do("POST", "/me/password", tt.bobTok, right).want(200)
}

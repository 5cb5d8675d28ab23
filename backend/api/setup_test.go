package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"podcastfy/backend/auth"
)

func TestSetup(t *testing.T) {
	tt := newTester(t, testOptions{noUsers: true})
	var st setupStatus
	tt.do("GET", "/setup", "", nil).want(200).decode(&st)
	if !st.Needed {
		t.Fatal("a fresh installation does not need setup")
	}
	account := map[string]string{"username": "alice", "password": password}

	// From the LAN: refused, whatever the headers claim.
	for _, remote := range []string{"192.168.1.20:50000", "[fe80::1]:50000", "10.0.0.2:1"} {
		req := httptest.NewRequest("POST", "/setup", strings.NewReader(`{"username":"mallory","password":"long enough 1"}`))
		req.RemoteAddr = remote
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", "127.0.0.1")
		rec := httptest.NewRecorder()
		tt.srv.Config.Handler.ServeHTTP(rec, req)
		r := reply{t: t, status: rec.Code, header: rec.Header(), body: rec.Body.Bytes(), what: "POST /setup from " + remote}
		r.want(http.StatusForbidden, "not_local")
		if !strings.Contains(string(r.body), "on the machine") {
			t.Fatalf("the 403 does not say where to set up: %s", r.body)
		}
	}
	tt.do("POST", "/setup", "", map[string]string{"username": "alice"}).want(400, "invalid_request:password")
	tt.do("POST", "/setup", "", map[string]string{"username": "alice", "password": "short"}).want(400)
	tt.do("GET", "/setup", "", nil).want(200).decode(&st)
	if !st.Needed {
		t.Fatal("refused attempts made an account")
	}

	var sess auth.Session
	tt.do("POST", "/setup", "", account).want(200).decode(&sess)
	if sess.Token == "" || sess.User.Username != "alice" || !sess.User.IsAdmin {
		t.Fatalf("session %+v", sess)
	}
	var me meJSON
	tt.do("GET", "/me", sess.Token, nil).want(200).decode(&me)
	if me.User.ID != sess.User.ID {
		t.Fatalf("/me is %+v", me.User)
	}
	tt.do("GET", "/users", sess.Token, nil).want(200)
	tt.do("GET", "/setup", "", nil).want(200).decode(&st)
	if st.Needed {
		t.Fatal("setup still needed after the first account")
	}
	tt.do("POST", "/setup", "", map[string]string{"username": "eve", "password": password}).want(409, "already_set_up")
	users, _ := tt.auth.ListUsers()
	if len(users) != 1 {
		t.Fatalf("%d accounts after setup, want 1", len(users))
	}
}

// TestSetupConcurrent: two first-run requests at once make one account.
func TestSetupConcurrent(t *testing.T) {
	tt := newTester(t, testOptions{noUsers: true})
	var wg sync.WaitGroup
	statuses := make([]int, 4)
	for i := range statuses {
		wg.Go(func() {
			body := map[string]string{"username": "admin" + string(rune('a'+i)), "password": password}
			statuses[i] = tt.do("POST", "/setup", "", body).status
		})
	}
	wg.Wait()
	ok := 0
	for _, s := range statuses {
		switch s {
		case 200:
			ok++
		case 409:
		default:
			t.Fatalf("status %d", s)
		}
	}
	users, _ := tt.auth.ListUsers()
	if ok != 1 || len(users) != 1 {
		t.Fatalf("%d successes, %d accounts; want 1 and 1 (%v)", ok, len(users), statuses)
	}
}

func TestSetupThrottled(t *testing.T) {
	tt := newTester(t, testOptions{noUsers: true})
	tt.clock.freeze()
	bad := map[string]string{"username": "alice", "password": "short"}
	for range setupFreeFailures + 1 {
		tt.do("POST", "/setup", "", bad).want(400)
	}
	good := map[string]string{"username": "alice", "password": password}
	r := tt.do("POST", "/setup", "", good).want(429, "throttled")
	if r.header.Get("Retry-After") != "1" {
		t.Fatalf("Retry-After %q", r.header.Get("Retry-After"))
	}
	tt.clock.advance(2 * time.Second)
	tt.do("POST", "/setup", "", bad).want(400)
	r = tt.do("POST", "/setup", "", good).want(429)
	if r.header.Get("Retry-After") != "2" {
		t.Fatalf("the wait did not double: Retry-After %q", r.header.Get("Retry-After"))
	}
	tt.clock.advance(time.Hour + time.Minute)
	tt.do("POST", "/setup", "", good).want(200)
}

func TestFromLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:1": true, "127.9.9.9:80": true, "[::1]:5": true, "[::ffff:127.0.0.1]:5": true,
		"192.168.0.2:1": false, "[::ffff:10.0.0.1]:5": false, "0.0.0.0:1": false, "": false, "@": false, "127.0.0.1": false,
	} {
		if got := fromLoopback(&http.Request{RemoteAddr: addr}); got != want {
			t.Errorf("%q: %v", addr, got)
		}
	}
}

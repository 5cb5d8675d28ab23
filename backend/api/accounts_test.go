package api

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"podcastfy/backend/auth"
	"podcastfy/backend/store"
)

func TestLogin(t *testing.T) {
	tt := newTester(t, testOptions{})
	var s auth.Session
	tt.do("POST", "/auth/login", "", `{"username":"alice","password":"`+password+`"}`).want(200).decode(&s)
	if s.Token == "" || s.User.Username != "alice" || !s.User.IsAdmin || s.ExpiresAt.Before(time.Now()) {
		t.Fatalf("session: %+v", s)
	}
	for name, c := range map[string]struct {
		body    string
		headers []string
		status  int
		code    string
	}{
		"wrong password":      {`{"username":"alice","password":"nope nope nope"}`, nil, 401, "invalid_credentials"},
		"unknown user":        {`{"username":"carol","password":"nope nope nope"}`, nil, 401, "invalid_credentials"},
		"empty body":          {``, nil, 400, "invalid_json"},
		"not json":            {`username=alice`, nil, 400, "invalid_json"},
		"array":               {`[]`, nil, 400, "invalid_json"},
		"malformed":           {`{"username":"alice",`, nil, 400, "invalid_json"},
		"unknown field":       {`{"username":"alice","password":"x","admin":true}`, nil, 400, "unknown_field"},
		"wrong type":          {`{"username":42,"password":"x"}`, nil, 400, "wrong_type:username"},
		"missing password":    {`{"username":"alice"}`, nil, 400, "invalid_request:password"},
		"null username":       {`{"username":null,"password":"x"}`, nil, 400, "invalid_request:username"},
		"trailing data":       {`{"username":"alice","password":"x"} {}`, nil, 400, "invalid_json"},
		"huge body":           {`{"username":"` + strings.Repeat("a", MaxJSONBytes) + `","password":"x"}`, nil, 413, "too_large"},
		"form content type":   {`{"username":"alice","password":"x"}`, []string{"Content-Type: application/x-www-form-urlencoded"}, 415, "unsupported_media_type"},
		"bad content type":    {`{"username":"alice","password":"x"}`, []string{"Content-Type: ;;;"}, 415, "unsupported_media_type"},
		"nul in username":     {`{"username":"al\u0000ice","password":"x"}`, nil, 401, "invalid_credentials"},
		"control in password": {`{"username":"alice","password":"\u0007"}`, nil, 401, "invalid_credentials"},
	} {
		t.Run(name, func(t *testing.T) {
			r := tt.with(t).do("POST", "/auth/login", "", c.body, c.headers...).want(c.status, c.code)
			if c.status == 401 && !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("401 without WWW-Authenticate: %v", r.header)
			}
		})
	}
}

// clientFrom returns an HTTP client whose connections leave from the given
// loopback address, so one test can be several machines of a LAN.
func clientFrom(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext}}
}

// loginFrom posts a login from the given loopback address.
func (tt *tester) loginFrom(ip, user, pw string) reply {
	tt.t.Helper()
	body, _ := json.Marshal(map[string]string{"username": user, "password": pw})
	req, err := http.NewRequest("POST", tt.srv.URL+"/auth/login", bytes.NewReader(body))
	if err != nil {
		tt.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	c := clientFrom(ip)
	defer c.CloseIdleConnections()
	resp, err := c.Do(req)
	if err != nil {
		tt.t.Fatalf("login from %s: %v", ip, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return reply{t: tt.t, status: resp.StatusCode, header: resp.Header, body: data, what: "POST /auth/login from " + ip}
}

// Failures slow down, then block, one address trying one name; the right
// password from another address always gets in, so no one can lock the
// owner out.
func TestLoginThrottled(t *testing.T) {
	tt := newTester(t, testOptions{})
	tt.clock.freeze()
	var last reply
	for range 6 {
		last = tt.loginFrom("127.0.0.7", "bob", "wrong password")
	}
	last.want(http.StatusTooManyRequests, "throttled")
	if last.header.Get("Retry-After") == "" {
		t.Fatalf("429 without Retry-After: %v", last.header)
	}
	// From the guessing address even the right password waits.
	tt.loginFrom("127.0.0.7", "bob", password).want(429, "throttled")
	// bob at his own machine is not held back.
	tt.loginFrom("127.0.0.8", "bob", password).want(200)
	// Nor is alice at the guessing address.
	tt.loginFrom("127.0.0.7", "alice", password).want(200)
	tt.clock.advance(time.Hour)
	tt.loginFrom("127.0.0.7", "bob", password).want(200)
}

// Spraying names from one address blocks that address for every name; the
// owner elsewhere logs in.
func TestLoginSprayBlocksTheAddress(t *testing.T) {
	tt := newTester(t, testOptions{})
	tt.clock.freeze()
	for i := range 20 {
		tt.loginFrom("127.0.0.9", fmt.Sprintf("guess%d", i), "wrong password").want(401, "invalid_credentials")
	}
	r := tt.loginFrom("127.0.0.9", "alice", password).want(429, "throttled")
	if !strings.Contains(string(r.body), "from this address") {
		t.Errorf("message does not say what is throttled: %s", r.body)
	}
	tt.loginFrom("127.0.0.10", "alice", password).want(200)
}

// heldUsers holds ByUsername for one chosen name until release is closed.
type heldUsers struct {
	auth.UserStore
	name    string
	entered chan struct{}
	release chan struct{}
}

func (h *heldUsers) ByUsername(name string) (store.User, error) {
	if name == h.name {
		h.entered <- struct{}{}
		<-h.release
	}
	return h.UserStore.ByUsername(name)
}

// While the server checks as many logins as it allows, a further login is
// answered at once with a short retry instead of queueing without bound;
// once the checks finish, logins go through.
func TestLoginGlobalLimitKeepsServerResponsive(t *testing.T) {
	held := &heldUsers{name: "slowpoke", entered: make(chan struct{}), release: make(chan struct{})}
	tt := newTester(t, testOptions{loginSlots: 1, loginQueue: -1,
		users: func(u auth.UserStore) auth.UserStore { held.UserStore = u; return held }})
	done := make(chan reply, 1)
	go func() { done <- tt.loginFrom("127.0.0.11", "slowpoke", "whatever pass") }()
	<-held.entered
	r := tt.loginFrom("127.0.0.12", "alice", password).want(429, "throttled")
	if r.header.Get("Retry-After") != "1" || !strings.Contains(string(r.body), "busy") {
		t.Errorf("busy answer: Retry-After %q, body %s", r.header.Get("Retry-After"), r.body)
	}
	// Other routes are not held up by the login in progress.
	tt.do("GET", "/me", tt.aliceTok, nil).want(200)
	close(held.release)
	(<-done).want(401, "invalid_credentials")
	tt.loginFrom("127.0.0.12", "alice", password).want(200)
}

func TestBearerTokens(t *testing.T) {
	tt := newTester(t, testOptions{})
	other := newTester(t, testOptions{}) // another installation: another key
	for name, c := range map[string]struct {
		header string
		code   string
	}{
		"no header":          {"", "unauthorized"},
		"basic auth":         {"Basic YWxpY2U6eA==", "unauthorized"},
		"empty bearer":       {"Bearer ", "unauthorized"},
		"garbage":            {"Bearer not-a-jwt", "invalid_token"},
		"forged (other key)": {"Bearer " + other.aliceTok, "invalid_token"},
		"alg none":           {"Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ4In0.", "invalid_token"},
		"huge":               {"Bearer " + strings.Repeat("a", 5000), "invalid_token"},
	} {
		t.Run(name, func(t *testing.T) {
			var hs []string
			if c.header != "" {
				hs = append(hs, "Authorization: "+c.header)
			}
			tt.with(t).do("GET", "/me", "", nil, hs...).want(401, c.code)
		})
	}
	t.Run("expired", func(t *testing.T) {
		tok := tt.login("bob")
		tt.clock.advance(auth.DefaultTTL + time.Minute)
		tt.with(t).do("GET", "/me", tok, nil).want(401, "invalid_token")
	})
	t.Run("lower-case scheme", func(t *testing.T) {
		tok := tt.login("alice")
		tt.with(t).do("GET", "/me", "", nil, "Authorization: bearer "+tok).want(200)
	})
}

func TestMeAndFeedKey(t *testing.T) {
	tt := newTester(t, testOptions{})
	var me meJSON
	tt.do("GET", "/me", tt.bobTok, nil).want(200).decode(&me)
	if me.User.Username != "bob" || me.User.IsAdmin || !strings.HasPrefix(me.FeedURL, tt.srv.URL+"/feed.xml?key=") {
		t.Fatalf("me: %+v", me)
	}
	var again meJSON
	tt.do("GET", "/me", tt.bobTok, nil).want(200).decode(&again)
	if again.FeedURL != me.FeedURL {
		t.Fatalf("feed URL changed between calls: %s then %s", me.FeedURL, again.FeedURL)
	}
	if strings.Contains(string(tt.do("GET", "/me", tt.bobTok, nil).body), "passwordHash") {
		t.Fatal("GET /me shows the password hash")
	}
	feedPath := strings.TrimPrefix(me.FeedURL, tt.srv.URL)
	tt.do("GET", feedPath, "", nil).want(200)

	var rotated meJSON
	tt.do("POST", "/me/feed-key", tt.bobTok, nil).want(200).decode(&rotated)
	if rotated.FeedURL == me.FeedURL {
		t.Fatal("rotating kept the feed key")
	}
	tt.do("GET", feedPath, "", nil).want(401, "invalid_feed_key")
	tt.do("GET", strings.TrimPrefix(rotated.FeedURL, tt.srv.URL), "", nil).want(200)
	tt.do("POST", "/me/feed-key", "", nil).want(401)

	// The QR code is of the feed URL in force: the new one after rotation.
	for _, m := range []meJSON{me, rotated} {
		want, err := qrcode.Encode(m.FeedURL, qrcode.Medium, qrSize)
		if err != nil {
			t.Fatal(err)
		}
		data, ok := strings.CutPrefix(m.FeedQRCode, "data:image/png;base64,")
		got, err := base64.StdEncoding.DecodeString(data)
		if !ok || err != nil || !bytes.Equal(got, want) {
			t.Errorf("the QR code is not of %s: %.60s…", m.FeedURL, m.FeedQRCode)
		}
		if _, err := png.Decode(bytes.NewReader(got)); err != nil {
			t.Errorf("the QR code is not a PNG: %v", err)
		}
	}
}

func TestUsersAdminOnly(t *testing.T) {
	tt := newTester(t, testOptions{})
	tt.do("GET", "/users", tt.bobTok, nil).want(403, "forbidden")
	tt.do("POST", "/users", tt.bobTok, map[string]any{"username": "carol", "password": password}).want(403, "forbidden")
	tt.do("DELETE", "/users/"+tt.alice.ID, tt.bobTok, nil).want(403, "forbidden")
	tt.do("GET", "/users", "", nil).want(401)

	var list userList
	tt.do("GET", "/users", tt.aliceTok, nil).want(200).decode(&list)
	if len(list.Users) != 2 || list.Users[0].Username != "alice" || list.Users[1].Username != "bob" {
		t.Fatalf("users: %+v", list)
	}
	if strings.Contains(string(tt.do("GET", "/users", tt.aliceTok, nil).body), "passwordHash") {
		t.Fatal("GET /users shows password hashes")
	}

	var carol auth.PublicUser
	tt.do("POST", "/users", tt.aliceTok, map[string]any{"username": "carol", "password": password, "email": "carol@example.org"}).want(201).decode(&carol)
	if carol.Username != "carol" || carol.IsAdmin || carol.Email == nil {
		t.Fatalf("created: %+v", carol)
	}
	tt.login("carol")
	for name, c := range map[string]struct {
		body   any
		status int
		code   string
	}{
		"taken":          {map[string]any{"username": "CAROL", "password": password}, 409, "conflict"},
		"bad username":   {map[string]any{"username": "../x", "password": password}, 400, "invalid_request:username"},
		"short password": {map[string]any{"username": "dave", "password": "short"}, 400, "invalid_request:password"},
		"bad email":      {map[string]any{"username": "dave", "password": password, "email": "not an email"}, 400, "invalid_request:email"},
		"missing":        {map[string]any{"username": "dave"}, 400, "invalid_request:password"},
		"wrong type":     {map[string]any{"username": "dave", "password": password, "isAdmin": "yes"}, 400, "wrong_type:isAdmin"},
		"unknown field":  {map[string]any{"username": "dave", "password": password, "role": "admin"}, 400, "unknown_field"},
	} {
		t.Run(name, func(t *testing.T) {
			tt.with(t).do("POST", "/users", tt.aliceTok, c.body).want(c.status, c.code)
		})
	}

	tt.do("DELETE", "/users/"+carol.ID, tt.aliceTok, nil).want(400, "invalid_request:podcasts")
	tt.do("DELETE", "/users/"+carol.ID+"?podcasts=maybe", tt.aliceTok, nil).want(400, "invalid_request:podcasts")
	tt.do("DELETE", "/users/"+tt.alice.ID+"?podcasts=keep", tt.aliceTok, nil).want(409, "conflict")
	tt.do("DELETE", "/users/"+carol.ID+"?podcasts=delete", tt.aliceTok, nil).want(200)
	tt.do("DELETE", "/users/"+carol.ID+"?podcasts=delete", tt.aliceTok, nil).want(404, "not_found")
	tt.do("DELETE", "/users/..%2Fusers?podcasts=delete", tt.aliceTok, nil).want(400, "bad_path")
	tt.do("DELETE", "/users/a%2Fb?podcasts=delete", tt.aliceTok, nil).want(404)
	tt.do("DELETE", "/users/no-such-user?podcasts=delete", tt.aliceTok, nil).want(404)
}

// A deleted user's session token and signed links stop working at once.
func TestDeletedUserLosesAccess(t *testing.T) {
	tt := newTester(t, testOptions{})
	p := tt.addPodcast(tt.bob, "Bob's", "text", 0)
	var view podcastJSON
	tt.do("GET", "/podcasts/"+p.ID, tt.bobTok, nil).want(200).decode(&view)
	var me meJSON
	tt.do("GET", "/me", tt.bobTok, nil).want(200).decode(&me)
	tt.do("GET", view.AudioURL, "", nil).want(200)

	tt.do("DELETE", "/users/"+tt.bob.ID+"?podcasts=keep", tt.aliceTok, nil).want(200)
	tt.do("GET", "/me", tt.bobTok, nil).want(401, "invalid_token")
	tt.do("GET", "/podcasts", tt.bobTok, nil).want(401, "invalid_token")
	tt.do("GET", view.AudioURL, "", nil).want(401, "invalid_signature")
	tt.do("GET", strings.TrimPrefix(me.FeedURL, tt.srv.URL), "", nil).want(401, "invalid_feed_key")
	tt.do("POST", "/auth/login", "", map[string]string{"username": "bob", "password": password}).want(401)
}

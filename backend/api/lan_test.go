package api

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestLANStartStopStart drives the controller as the desktop's switch
// does: start, serve, stop (the hub's streams end), start again.
func TestLANStartStopStart(t *testing.T) {
	var hubs []*Hub
	lan := NewLAN(func(hub *Hub) http.Handler {
		hubs = append(hubs, hub)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "served") })
	}, nil, nil)
	if st := lan.Status(); st.Running || len(st.URLs) != 0 || lan.Hub() != nil {
		t.Fatalf("a new controller is %+v", st)
	}
	for round := range 2 {
		st, err := lan.Start(Listen{Addr: "127.0.0.1:0"})
		if err != nil || !st.Running || len(st.URLs) != 1 || !strings.HasPrefix(st.URLs[0], "http://127.0.0.1:") {
			t.Fatalf("round %d: Start = %+v, %v", round, st, err)
		}
		if again, err := lan.Start(Listen{Addr: "127.0.0.1:0"}); err != nil || again.Addr != st.Addr {
			t.Fatalf("a second Start = %+v, %v; want the running server", again, err)
		}
		if st.LANURL() != st.URLs[0] || st.BaseURL("https://pods.example/") != "https://pods.example" {
			t.Errorf("LANURL %q, BaseURL %q", st.LANURL(), st.BaseURL("https://pods.example/"))
		}
		res, err := http.Get(st.URLs[0] + "/")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if string(body) != "served" || lan.Hub() != hubs[round] {
			t.Fatalf("round %d: got %q from the server", round, body)
		}
		if err := lan.Stop(context.Background(), 0); err != nil {
			t.Fatal(err)
		}
		if st := lan.Status(); st.Running || lan.Hub() != nil {
			t.Fatalf("after Stop: %+v", st)
		}
		if _, err := http.Get(st.URLs[0] + "/"); err == nil {
			t.Fatal("the stopped server still answers")
		}
		select {
		case <-hubs[round].closed:
		default:
			t.Error("stopping left the hub's streams open")
		}
	}
	if len(hubs) != 2 {
		t.Fatalf("%d handlers made, want one per start", len(hubs))
	}
}

func TestLANAddressInUse(t *testing.T) {
	first := NewLAN(func(*Hub) http.Handler { return http.NotFoundHandler() }, nil, nil)
	st, err := first.Start(Listen{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Stop(context.Background(), 0)
	second := NewLAN(func(*Hub) http.Handler { return http.NotFoundHandler() }, nil, nil)
	got, err := second.Start(Listen{Addr: st.Addr})
	if err == nil || got.Running || !strings.Contains(got.Error, "cannot listen on") {
		t.Fatalf("Start on a taken port = %+v, %v", got, err)
	}
}

func TestFeedKeyGetAndRotate(t *testing.T) {
	tt := newTester(t, testOptions{})
	u, err := FeedKey(tt.store.Users(), tt.alice.ID, false)
	if err != nil || u.FeedKey == "" {
		t.Fatalf("FeedKey = %+v, %v", u, err)
	}
	same, _ := FeedKey(tt.store.Users(), tt.alice.ID, false)
	rotated, _ := FeedKey(tt.store.Users(), tt.alice.ID, true)
	if same.FeedKey != u.FeedKey || rotated.FeedKey == u.FeedKey || rotated.FeedKey == "" {
		t.Fatalf("keys %q, %q, rotated %q", u.FeedKey, same.FeedKey, rotated.FeedKey)
	}
	if _, err := tt.store.Users().ByFeedKey(u.FeedKey); err == nil {
		t.Error("the old key still finds the user")
	}
	if got := FeedURL("http://h:1", "a+b"); got != "http://h:1/feed.xml?key=a%2Bb" {
		t.Errorf("FeedURL = %q", got)
	}
}

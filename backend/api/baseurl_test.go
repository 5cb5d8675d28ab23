package api

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"podcastfy/backend/config"
)

// Links come from the public URL, else from a Host naming this server, else
// from the address the listener is bound to; a foreign Host never leaks in.
func TestLinksIgnoreForeignHost(t *testing.T) {
	tt := newTester(t, testOptions{})
	tt.addPodcast(tt.alice, "Hosted", "text", 0)
	srvURL, err := url.Parse(tt.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	port := srvURL.Port()
	bound := "http://127.0.0.1:" + port
	for name, c := range map[string]struct{ host, want string }{
		"foreign name":             {"evil.example", bound},
		"foreign name on our port": {"evil.example:" + port, bound},
		"our address, other port":  {"127.0.0.1:1", bound},
		"foreign address":          {"203.0.113.9:" + port, bound},
		"our address":              {"127.0.0.1:" + port, bound},
		"localhost on loopback":    {"localhost:" + port, "http://localhost:" + port},
		"another loopback address": {"127.0.0.2:" + port, bound},
	} {
		t.Run(name, func(t *testing.T) {
			var me meJSON
			tt.with(t).do("GET", "/me", tt.aliceTok, nil, "Host: "+c.host).want(200).decode(&me)
			if !strings.HasPrefix(me.FeedURL, c.want+"/feed.xml?key=") {
				t.Fatalf("feed URL %q, want it under %s", me.FeedURL, c.want)
			}
			feed := tt.with(t).do("GET", strings.TrimPrefix(me.FeedURL, c.want), "", nil, "Host: "+c.host).want(200)
			if strings.Contains(string(feed.body), "evil.example") || strings.Contains(string(feed.body), "203.0.113.9") {
				t.Fatalf("feed links name the foreign host: %s", clip(string(feed.body)))
			}
			if !strings.Contains(string(feed.body), c.want+"/") {
				t.Fatalf("feed links are not under %s: %s", c.want, clip(string(feed.body)))
			}
		})
	}

	pub := newTester(t, testOptions{settings: config.ServerSettings{PublicURL: "https://pods.home.arpa/"}})
	var me meJSON
	r := pub.do("GET", "/me", pub.aliceTok, nil, "Host: evil.example")
	r.want(200)
	if err := json.Unmarshal(r.body, &me); err != nil || !strings.HasPrefix(me.FeedURL, "https://pods.home.arpa/feed.xml?key=") {
		t.Fatalf("feed URL %q with a public URL set", me.FeedURL)
	}
}

package ingest

import (
	"bytes"
	"log/slog"
	"net/url"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
)

// htmlDoc extracts an article from a page: readability (a port of Firefox
// Reader View) picks the main content, away from navigation, ads and
// comments, and the text walker keeps paragraphs and headings. When
// readability finds nothing, the whole body is read without its boilerplate
// elements. contentType (may be empty) names the charset; pageURL may be nil.
func htmlDoc(data []byte, contentType string, pageURL *url.URL) (Document, error) {
	r, err := charset.NewReader(bytes.NewReader(data), contentType)
	if err != nil {
		r = bytes.NewReader(data)
	}
	root, err := html.Parse(r)
	if err != nil {
		return Document{}, failf(ErrUnsupported, "the HTML could not be parsed: %v", err)
	}
	if pageURL == nil {
		pageURL = &url.URL{Scheme: "file", Path: "/"}
	}
	title := cleanInline(pageTitle(root))
	lang := attr(find(root, atom.Html), "lang")

	p := readability.NewParser()
	p.Logger = slog.New(slog.DiscardHandler)
	p.KeepClasses = true        // for clutter()
	p.MaxElemsToParse = 200_000 // beyond that, the plain body walk is quicker
	var doc Document
	if article, err := p.ParseDocument(root, pageURL); err == nil && article.Node != nil {
		var b builder
		walkHTML(&b, article.Node)
		doc = b.doc("")
		if !strings.ContainsAny(title, "|·—–") && !strings.Contains(title, " - ") {
			// Readability cuts a title at its first colon, taking the rest for
			// a site name; only a title with a separator has one to cut.
			title = firstNonEmpty(title, cleanInline(article.Title()))
		} else {
			title = firstNonEmpty(cleanInline(article.Title()), title)
		}
		lang = firstNonEmpty(article.Language(), lang)
	}
	if strings.TrimSpace(doc.Text) == "" {
		var b builder
		walkHTML(&b, firstNonNil(find(root, atom.Body), root))
		doc = b.doc("")
	}
	doc.Title = firstNonEmpty(title, firstHeading(doc.Sections))
	doc.Language = lang
	return doc, nil
}

// walkHTML appends the speakable text under n: block elements end blocks,
// headings become Sections, and elements no one reads aloud (scripts,
// navigation, forms, code, tables, figures' images) are skipped.
func walkHTML(b *builder, n *html.Node) {
	switch n.Type {
	case html.TextNode:
		b.write(n.Data)
		return
	case html.ElementNode:
		if skipElement(n) {
			return
		}
		if level := headingLevel(n.DataAtom); level > 0 {
			var t builder
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walkHTML(&t, c)
			}
			t.end()
			b.heading(level, t.out.String())
			return
		}
		if n.DataAtom == atom.Br {
			b.write(" ")
			return
		}
	case html.CommentNode, html.DoctypeNode:
		return
	}
	block := n.Type == html.ElementNode && blockElements[n.DataAtom]
	if block {
		b.end()
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walkHTML(b, c)
	}
	if block {
		b.end()
	}
}

var blockElements = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true, atom.Li: true,
	atom.Ul: true, atom.Ol: true, atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Blockquote: true,
	atom.Figcaption: true, atom.Hr: true, atom.Header: true, atom.Footer: true, atom.Address: true,
	atom.Details: true, atom.Summary: true, atom.Body: true,
}

// skipElement: what a listener should not hear.
func skipElement(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg, atom.Math, atom.Iframe, atom.Object,
		atom.Embed, atom.Canvas, atom.Video, atom.Audio, atom.Img, atom.Picture, atom.Pre, atom.Table,
		atom.Nav, atom.Aside, atom.Form, atom.Button, atom.Select, atom.Input, atom.Textarea, atom.Label,
		atom.Head, atom.Title, atom.Dialog, atom.Menu:
		return true
	case atom.Sup:
		// Footnote markers: [1], 2, *.
		t := strings.Trim(textOf(n), " []()*†‡")
		return strings.Trim(t, "0123456789") == ""
	case atom.Header, atom.Footer:
		// Page chrome; readability has already dropped it from articles.
		return n.Parent != nil && (n.Parent.DataAtom == atom.Body || n.Parent.DataAtom == atom.Html)
	}
	if _, hidden := attrOK(n, "hidden"); hidden || clutter(attr(n, "class")+" "+attr(n, "id")) {
		return true
	}
	role := attr(n, "role")
	return attr(n, "aria-hidden") == "true" || role == "navigation" || role == "banner" ||
		role == "contentinfo" || role == "complementary" || role == "search" ||
		strings.Contains(attr(n, "style"), "display:none") || strings.Contains(attr(n, "style"), "display: none")
}

// clutterWords are class and id words of page furniture that readability
// may leave inside an article: inline ads, share bars, comment threads.
var clutterWords = map[string]bool{"ad": true, "ads": true, "advert": true, "advertisement": true,
	"sponsor": true, "sponsored": true, "promo": true, "share": true, "sharing": true, "social": true,
	"newsletter": true, "comments": true, "cookie": true, "cookies": true, "related": true, "paywall": true}

func clutter(classAndID string) bool {
	words := strings.FieldsFunc(strings.ToLower(classAndID), func(r rune) bool {
		return r == ' ' || r == '-' || r == '_' || r == '\t'
	})
	for _, w := range words {
		if clutterWords[w] {
			return true
		}
	}
	return false
}

func headingLevel(a atom.Atom) int {
	switch a {
	case atom.H1:
		return 1
	case atom.H2:
		return 2
	case atom.H3:
		return 3
	case atom.H4:
		return 4
	case atom.H5:
		return 5
	case atom.H6:
		return 6
	}
	return 0
}

// pageTitle is og:title, else <title>, else the first <h1>.
func pageTitle(root *html.Node) string {
	var og, title, h1 string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Meta:
				if p := attr(n, "property"); (p == "og:title" || attr(n, "name") == "twitter:title") && og == "" {
					og = attr(n, "content")
				}
			case atom.Title:
				if title == "" {
					title = textOf(n)
				}
			case atom.H1:
				if h1 == "" {
					h1 = textOf(n)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return firstNonEmpty(strings.TrimSpace(og), strings.TrimSpace(title), strings.TrimSpace(h1))
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return cleanInline(b.String())
}

func find(n *html.Node, a atom.Atom) *html.Node {
	if n == nil {
		return nil
	}
	if n.Type == html.ElementNode && n.DataAtom == a {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, a); f != nil {
			return f
		}
	}
	return nil
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	if n == nil {
		return "", false
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func firstNonNil(ns ...*html.Node) *html.Node {
	for _, n := range ns {
		if n != nil {
			return n
		}
	}
	return nil
}

// looksLikeHTML tells an HTML document from text that merely has tags.
func looksLikeHTML(head []byte) bool {
	h := bytes.ToLower(bytes.TrimSpace(bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF})))
	return bytes.HasPrefix(h, []byte("<!doctype html")) || bytes.HasPrefix(h, []byte("<html")) ||
		bytes.HasPrefix(h, []byte("<?xml")) && bytes.Contains(h[:min(len(h), 512)], []byte("<html"))
}

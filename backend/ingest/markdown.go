package ingest

import (
	"bytes"
	"html"
	"net/url"
	"regexp"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	xhtml "golang.org/x/net/html"
)

// markdownParser is goldmark with GitHub's extensions, so tables, task
// lists, strike-through, bare links and footnotes are recognised (and then
// left out) rather than read as text.
func markdownParser() goldmark.Markdown {
	return goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.DefinitionList))
}

// markdown walks the Markdown syntax tree and keeps what a listener should
// hear: headings (as Sections), paragraphs, list items, quotes, definition
// lists and the text of inline HTML. Code blocks, tables, images,
// footnotes, struck-through text and link targets are left out; a link
// keeps its label, a bare URL becomes its host name.
func markdown(src []byte) Document {
	src, fmTitle := frontMatter(src)
	root := markdownParser().Parser().Parse(text.NewReader(src))
	var b builder
	ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			b.heading(n.Level, inlineText(n, src))
			return ast.WalkSkipChildren, nil
		case *ast.Paragraph, *ast.TextBlock, *east.DefinitionTerm:
			b.end()
			b.write(inlineText(n, src))
			b.end()
			return ast.WalkSkipChildren, nil
		case *ast.HTMLBlock:
			b.end()
			b.write(htmlFragmentText(blockLines(n, src)))
			b.end()
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock, *ast.CodeBlock, *east.Table, *east.FootnoteList, *ast.ThematicBreak:
			b.end()
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	doc := b.doc("")
	doc.Title = firstNonEmpty(fmTitle, firstHeading(doc.Sections))
	return doc
}

// inlineText renders a block's inline children as plain text.
func inlineText(n ast.Node, src []byte) string {
	var b strings.Builder
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Text:
				b.Write(unescape(c.Segment.Value(src)))
				if c.SoftLineBreak() || c.HardLineBreak() {
					b.WriteByte(' ')
				}
			case *ast.String:
				b.Write(c.Value)
			case *ast.CodeSpan:
				// The backticks stay: the speakable stage reads code apart
				// (it names a quoted symbol, reads an identifier as words).
				b.WriteByte('`')
				for t := c.FirstChild(); t != nil; t = t.NextSibling() {
					if s, ok := t.(*ast.Text); ok {
						b.Write(s.Segment.Value(src))
					} else if s, ok := t.(*ast.String); ok {
						b.Write(s.Value)
					}
				}
				b.WriteByte('`')
			case *ast.AutoLink:
				b.WriteString(speakableLink(string(c.Label(src)), c.AutoLinkType == ast.AutoLinkEmail))
			case *ast.Image, *ast.RawHTML, *east.Strikethrough, *east.FootnoteLink, *east.FootnoteBacklink, *east.TaskCheckBox:
				// Not read aloud.
			default: // emphasis, links (their label), anything with text inside
				walk(c)
			}
		}
	}
	walk(n)
	return b.String()
}

// unescape resolves backslash escapes and character references.
func unescape(b []byte) []byte {
	return util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(b)))
}

// speakableLink turns a bare URL into its host name ("example.com"); an
// e-mail address stays as it is.
func speakableLink(label string, email bool) string {
	if email {
		return label
	}
	raw := label
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return label
	}
	return strings.TrimPrefix(u.Hostname(), "www.")
}

func blockLines(n ast.Node, src []byte) []byte {
	var b bytes.Buffer
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
	if h, ok := n.(*ast.HTMLBlock); ok && h.HasClosure() {
		b.Write(h.ClosureLine.Value(src))
	}
	return b.Bytes()
}

// htmlFragmentText keeps the text of an HTML fragment, without scripts,
// styles or comments.
func htmlFragmentText(frag []byte) string {
	z := xhtml.NewTokenizer(bytes.NewReader(frag))
	var b strings.Builder
	skip := 0
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return b.String()
		case xhtml.TextToken:
			if skip == 0 {
				b.Write(z.Text())
				b.WriteByte(' ')
			}
		case xhtml.StartTagToken:
			if name, _ := z.TagName(); skippedTag(string(name)) {
				skip++
			}
		case xhtml.EndTagToken:
			if name, _ := z.TagName(); skippedTag(string(name)) && skip > 0 {
				skip--
			}
		}
	}
}

func skippedTag(name string) bool {
	switch name {
	case "script", "style", "pre", "code", "table", "svg", "noscript", "template", "iframe", "object":
		return true
	}
	return false
}

var fmTitleLine = regexp.MustCompile(`(?m)^title:\s*(.+?)\s*$`)

// frontMatter strips a YAML front-matter block and returns its title.
func frontMatter(src []byte) ([]byte, string) {
	src = bytes.TrimPrefix(src, []byte{0xEF, 0xBB, 0xBF})
	if !bytes.HasPrefix(src, []byte("---\n")) && !bytes.HasPrefix(src, []byte("---\r\n")) {
		return src, ""
	}
	rest := src[bytes.IndexByte(src, '\n')+1:]
	end := bytes.Index(rest, []byte("\n---"))
	if end < 0 {
		return src, ""
	}
	block := rest[:end]
	after := rest[end+4:]
	if i := bytes.IndexByte(after, '\n'); i >= 0 {
		after = after[i+1:]
	} else {
		after = nil
	}
	title := ""
	if m := fmTitleLine.FindSubmatch(block); m != nil {
		title = html.UnescapeString(strings.Trim(string(m[1]), `"'`))
	}
	return after, title
}

// looksLikeMarkdown tells pasted text or a .txt file that uses Markdown
// syntax: an ATX heading, a code fence, a table rule, a link or emphasis.
func looksLikeMarkdown(s string) bool {
	return mdSignals.MatchString(s)
}

var mdSignals = regexp.MustCompile("(?m)^#{1,6} \\S|^(```|~~~)|^\\|? *:?-{3,}:? *\\||\\]\\([^)\\s]+\\)|\\*\\*\\S[^*\\n]*\\S\\*\\*|^ {0,3}[-*+] \\[[ xX]\\] ")

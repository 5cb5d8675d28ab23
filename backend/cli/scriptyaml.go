package cli

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"podcastfy/backend/core"
	"podcastfy/backend/script"
)

// The script as a person edits it in a text editor: YAML with comments
// saying what may change, each line written "- Speaker: text". Reading it
// back keeps every value's line in the file, so a problem the studio finds
// ("chapters[1].lines[4].text") is reported at its line.

const scriptYAMLHelp = `podcastfy script %q (podcast %s, version %d).
Edit it, then make it the next version with:
  podcastfy script apply %s FILE
Only lines whose text, speaker, voice or speed change are voiced again.
You may change:
  - title and summary;
  - each speaker's voice and speed (0.5 to 2, 1 is normal) for the whole
    episode; the names are the podcast's and stay as they are;
  - chapter titles; add, remove and reorder chapters;
  - the lines: write each as "- Speaker: text"; edit, add, remove and move
    them, also across chapters (that moves where a chapter starts).
Plain spoken words only: no markup, stage directions or URLs.
Leave etag as it is: it says which version this edit was made from.`

// encodeScriptYAML writes the document with its comments.
func encodeScriptYAML(doc core.ScriptDoc) ([]byte, error) {
	str := func(v string) *yaml.Node {
		n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v}
		if strings.ContainsAny(v, "\n") {
			n.Style = yaml.LiteralStyle
		}
		return n
	}
	num := func(tag, v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v} }
	mapping := func(kv ...*yaml.Node) *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode, Content: kv} }
	seq := func() *yaml.Node { return &yaml.Node{Kind: yaml.SequenceNode} }

	speakers := seq()
	for _, sp := range doc.Speakers {
		speakers.Content = append(speakers.Content, mapping(
			str("name"), str(sp.Name),
			str("voice"), str(sp.Voice),
			str("speed"), num("", strconv.FormatFloat(sp.Speed, 'f', -1, 64)),
		))
	}
	chapters := seq()
	for _, c := range doc.Chapters {
		lines := seq()
		for _, l := range c.Lines {
			lines.Content = append(lines.Content, mapping(str(l.Speaker), str(l.Text)))
		}
		chapters.Content = append(chapters.Content, mapping(str("title"), str(c.Title), str("lines"), lines))
	}
	top := mapping(
		str("podcastId"), str(doc.PodcastID),
		str("version"), num("!!int", strconv.Itoa(doc.Version)),
		str("etag"), str(doc.ETag),
		str("title"), str(doc.Title),
		str("summary"), str(doc.Summary),
		str("speakers"), speakers,
		str("chapters"), chapters,
	)
	top.Content[0].HeadComment = fmt.Sprintf(scriptYAMLHelp, doc.Title, doc.PodcastID, doc.Version, doc.PodcastID)
	top.Content[10].HeadComment = "Speakers of the whole episode: voice and speed may change."
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{top}}); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// scriptFile is a script read back from YAML: the document, and the line
// of each field path (as the studio names fields) in the file.
type scriptFile struct {
	doc   core.ScriptDoc
	lines map[string]int
}

// lineOf finds the line of a field path, or of the nearest enclosing one.
func (f scriptFile) lineOf(field string) int {
	for field != "" {
		if n, ok := f.lines[field]; ok {
			return n
		}
		i := strings.LastIndexAny(field, ".[")
		if i < 0 {
			break
		}
		field = field[:i]
	}
	return 0
}

// yamlError is a problem at a line of the file.
type yamlError struct {
	line int
	msg  string
}

func (e *yamlError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

func bad(n *yaml.Node, format string, args ...any) error {
	return &yamlError{line: n.Line, msg: fmt.Sprintf(format, args...)}
}

// decodeScriptYAML reads the edited file strictly: unknown keys, wrong
// shapes and a line that is not "Speaker: text" are errors at their line.
func decodeScriptYAML(data []byte) (scriptFile, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return scriptFile{}, fmt.Errorf("not YAML: %w", err)
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return scriptFile{}, errors.New("the file must be a script as podcastfy script export writes it")
	}
	f := scriptFile{lines: map[string]int{}}
	top := root.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		f.lines[k.Value] = k.Line
		var err error
		switch k.Value {
		case "podcastId":
			err = scalar(v, &f.doc.PodcastID)
		case "version":
			err = v.Decode(&f.doc.Version)
		case "etag":
			err = scalar(v, &f.doc.ETag)
		case "title":
			err = scalar(v, &f.doc.Title)
		case "summary":
			err = scalar(v, &f.doc.Summary)
		case "speakers":
			err = f.speakers(v)
		case "chapters":
			err = f.chapters(v)
		default:
			err = bad(k, "unknown key %q (the keys are podcastId, version, etag, title, summary, speakers, chapters)", k.Value)
		}
		if err != nil {
			return scriptFile{}, err
		}
	}
	return f, nil
}

func scalar(n *yaml.Node, into *string) error {
	if n.Kind != yaml.ScalarNode {
		return bad(n, "expected text")
	}
	*into = n.Value
	return nil
}

func (f *scriptFile) speakers(n *yaml.Node) error {
	if n.Kind != yaml.SequenceNode {
		return bad(n, "speakers must be a list of name, voice and speed")
	}
	for i, item := range n.Content {
		path := fmt.Sprintf("speakers[%d]", i)
		f.lines[path] = item.Line
		if item.Kind != yaml.MappingNode {
			return bad(item, "a speaker has name, voice and speed")
		}
		var sp core.DocSpeaker
		for j := 0; j+1 < len(item.Content); j += 2 {
			k, v := item.Content[j], item.Content[j+1]
			f.lines[path+"."+k.Value] = v.Line
			var err error
			switch k.Value {
			case "name":
				err = scalar(v, &sp.Name)
			case "voice":
				err = scalar(v, &sp.Voice)
			case "speed":
				if err = v.Decode(&sp.Speed); err != nil {
					err = bad(v, "speed must be a number from 0.5 to 2")
				}
			default:
				err = bad(k, "unknown key %q (a speaker has name, voice and speed)", k.Value)
			}
			if err != nil {
				return err
			}
		}
		f.doc.Speakers = append(f.doc.Speakers, sp)
	}
	return nil
}

func (f *scriptFile) chapters(n *yaml.Node) error {
	if n.Kind != yaml.SequenceNode {
		return bad(n, "chapters must be a list of chapters with a title and lines")
	}
	for i, item := range n.Content {
		path := fmt.Sprintf("chapters[%d]", i)
		f.lines[path] = item.Line
		if item.Kind != yaml.MappingNode {
			return bad(item, "a chapter has a title and lines")
		}
		var ch script.Chapter
		for j := 0; j+1 < len(item.Content); j += 2 {
			k, v := item.Content[j], item.Content[j+1]
			f.lines[path+"."+k.Value] = v.Line
			switch k.Value {
			case "title":
				if err := scalar(v, &ch.Title); err != nil {
					return err
				}
			case "lines":
				lines, err := f.chapterLines(path, v)
				if err != nil {
					return err
				}
				ch.Lines = lines
			default:
				return bad(k, "unknown key %q (a chapter has title and lines)", k.Value)
			}
		}
		f.doc.Chapters = append(f.doc.Chapters, ch)
	}
	return nil
}

func (f *scriptFile) chapterLines(chapter string, n *yaml.Node) ([]script.Line, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, bad(n, `lines must be a list of "- Speaker: text"`)
	}
	if len(n.Content) > core.MaxScriptLines {
		return nil, bad(n, "a chapter of %d lines; a script has at most %d", len(n.Content), core.MaxScriptLines)
	}
	out := make([]script.Line, 0, len(n.Content))
	for j, item := range n.Content {
		path := fmt.Sprintf("%s.lines[%d]", chapter, j)
		f.lines[path] = item.Line
		f.lines[path+".speaker"], f.lines[path+".text"] = item.Line, item.Line
		if item.Kind != yaml.MappingNode || len(item.Content) != 2 || item.Content[0].Kind != yaml.ScalarNode || item.Content[1].Kind != yaml.ScalarNode {
			return nil, bad(item, `write each line as "- Speaker: text" (a text with ": " in it goes in quotes)`)
		}
		out = append(out, script.Line{Speaker: item.Content[0].Value, Text: item.Content[1].Value})
	}
	return out, nil
}

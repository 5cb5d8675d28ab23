package template

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"podcastfy/backend/config/strictyaml"
)

// MaxFileBytes bounds one template file.
const MaxFileBytes = 256 << 10

// Parse decodes and validates one template from YAML. name (usually the file
// name) starts every error message, with the line: an unknown key gives
// `deep-dive.yaml:7: unknown key "speakers[0].voice"`, a bad value gives
// `deep-dive.yaml:3: key "minutes": 500 is out of range …`.
func Parse(name string, data []byte) (Template, error) {
	if len(data) > MaxFileBytes {
		return Template{}, fmt.Errorf("%s: the file is larger than %d bytes", name, MaxFileBytes)
	}
	var t Template
	lines, err := strictyaml.Decode(name, data, &t)
	if err != nil {
		return Template{}, err
	}
	if err := strictyaml.Locate(name, lines, t.Validate()); err != nil {
		return Template{}, err
	}
	return t, nil
}

// Marshal renders t as YAML that Parse reads back to the same template.
// Multi-line text (the instructions) is written as a literal block when that
// keeps it exact, and double-quoted otherwise.
func Marshal(t Template) ([]byte, error) {
	var root yaml.Node
	if err := root.Encode(t); err != nil {
		return nil, fmt.Errorf("encoding template %q: %w", t.ID, err)
	}
	setTextStyles(&root, reflect.ValueOf(t))
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	err := enc.Encode(&root)
	if cerr := enc.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("encoding template %q: %w", t.ID, err)
	}
	return buf.Bytes(), nil
}

// setTextStyles walks the encoded node tree beside the value it came from.
// yaml.v3 drops leading blank lines of multi-line text while encoding, so
// every text is put back exactly and given a style that keeps it exact.
func setTextStyles(n *yaml.Node, v reflect.Value) {
	if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		setTextStyles(n.Content[0], v)
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			setTextStyles(n, v.Elem())
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			return
		}
		want := v.String()
		switch {
		case strings.Contains(want, "\n") && literalSafe(want):
			n.Value, n.Style = want, yaml.LiteralStyle
		case strings.Contains(want, "\n") || n.Value != want:
			n.Value, n.Style = want, yaml.DoubleQuotedStyle
		}
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			for j := range v.NumField() {
				name, _, _ := strings.Cut(v.Type().Field(j).Tag.Get("yaml"), ",")
				if name == n.Content[i].Value {
					setTextStyles(n.Content[i+1], v.Field(j))
				}
			}
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode || len(n.Content) != v.Len() {
			return
		}
		for i, c := range n.Content {
			setTextStyles(c, v.Index(i))
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if e := v.MapIndex(reflect.ValueOf(n.Content[i].Value)); e.IsValid() {
				setTextStyles(n.Content[i+1], e)
			}
		}
	}
}

// literalSafe reports whether s survives a YAML literal block unchanged:
// block scalars lose leading blank lines and indentation, trailing blanks on
// a line are fragile, and only printable characters may appear.
func literalSafe(s string) bool {
	if !utf8.ValidString(s) || s[0] == ' ' || s[0] == '\n' || s[0] == '\t' {
		return false
	}
	for _, line := range strings.Split(s, "\n") {
		if strings.HasSuffix(line, " ") || strings.HasSuffix(line, "\t") {
			return false
		}
		for _, r := range line {
			if r != '\t' && !unicode.IsPrint(r) || r == '\uFEFF' {
				return false
			}
		}
	}
	return true
}

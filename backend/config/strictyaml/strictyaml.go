// Package strictyaml decodes hand-edited YAML files (settings, templates)
// into Go structs strictly: an unknown key, a duplicate key or a value of the
// wrong kind is an error that names the file, the line and the key, such as
//
//	config.yaml:12: unknown key "server.prot"
//
// It also remembers the line of every key it decoded, so that a later
// validation error about a key (a FieldError) can be reported at its line.
package strictyaml

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// MaxNodes bounds the work done on one document, so that nested aliases
// (a "billion laughs" file) are refused instead of expanded.
const MaxNodes = 100_000

var syntaxLine = regexp.MustCompile(`^line (\d+): (?s:(.*))$`)

// Lines maps a key path ("server.port", "speakers[1].name") to the line
// where it appears in the file.
type Lines map[string]int

// Decode parses data as one YAML document and stores it into v, which must
// be a pointer to a struct whose fields carry yaml tags. Keys absent from the
// document leave their field unchanged, so v may hold defaults. An empty
// document is not an error. Errors name file and line.
func Decode(file string, data []byte, v any) (Lines, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("strictyaml: Decode needs a pointer to a struct, got %T", v)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := syntaxLine.FindStringSubmatch(msg); m != nil {
			return nil, fmt.Errorf("%s:%s: %s", file, m[1], m[2])
		}
		return nil, fmt.Errorf("%s: %s", file, msg)
	}
	d := &decoder{file: file, lines: Lines{}}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return d.lines, nil
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		return d.lines, nil
	}
	if err := d.value(root, rv.Elem(), ""); err != nil {
		return nil, err
	}
	return d.lines, nil
}

type decoder struct {
	file  string
	lines Lines
	nodes int
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", d.file, n.Line, fmt.Sprintf(format, args...))
}

func (d *decoder) value(n *yaml.Node, v reflect.Value, path string) error {
	d.nodes++
	if d.nodes > MaxNodes {
		return d.errorf(n, "the document is too large or too deeply aliased (more than %d values)", MaxNodes)
	}
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return d.errorf(n, "key %q: unresolved alias", path)
		}
		return d.value(n.Alias, v, path)
	}
	if path != "" {
		if _, seen := d.lines[path]; !seen {
			d.lines[path] = n.Line
		}
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		// "key:" with nothing after it keeps the current value.
		return nil
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		return d.value(n, v.Elem(), path)
	case reflect.Struct:
		return d.structure(n, v, path)
	case reflect.Map:
		return d.mapping(n, v, path)
	case reflect.Slice:
		return d.sequence(n, v, path)
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			return d.errorf(n, "key %q: expected text, found %s", path, kindName(n))
		}
		v.SetString(n.Value)
		return nil
	case reflect.Bool:
		var b bool
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || n.Decode(&b) != nil {
			return d.errorf(n, "key %q: expected true or false, found %s", path, describe(n))
		}
		v.SetBool(b)
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		var i int64
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || n.Decode(&i) != nil || v.OverflowInt(i) {
			return d.errorf(n, "key %q: expected a whole number, found %s", path, describe(n))
		}
		v.SetInt(i)
		return nil
	case reflect.Float32, reflect.Float64:
		var f float64
		tag := n.ShortTag()
		if n.Kind != yaml.ScalarNode || (tag != "!!int" && tag != "!!float") || n.Decode(&f) != nil {
			return d.errorf(n, "key %q: expected a number, found %s", path, describe(n))
		}
		v.SetFloat(f)
		return nil
	default:
		return fmt.Errorf("strictyaml: unsupported field type %s at %q", v.Type(), path)
	}
}

func (d *decoder) structure(n *yaml.Node, v reflect.Value, path string) error {
	if n.Kind != yaml.MappingNode {
		return d.errorf(n, "%s: expected a mapping of keys, found %s", keyOrDoc(path), kindName(n))
	}
	fields := fieldsByKey(v.Type())
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		name := k.Value
		full := join(path, name)
		if k.Kind != yaml.ScalarNode {
			return d.errorf(k, "%s: keys must be plain words, found %s", keyOrDoc(path), kindName(k))
		}
		if line, dup := seen[name]; dup {
			return d.errorf(k, "key %q appears twice (first on line %d)", full, line)
		}
		seen[name] = k.Line
		idx, ok := fields[name]
		if !ok {
			return d.errorf(k, "unknown key %q", full)
		}
		d.lines[full] = k.Line
		if err := d.value(val, v.Field(idx), full); err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) mapping(n *yaml.Node, v reflect.Value, path string) error {
	if n.Kind != yaml.MappingNode {
		return d.errorf(n, "key %q: expected a mapping, found %s", path, kindName(n))
	}
	if v.Type().Key().Kind() != reflect.String {
		return fmt.Errorf("strictyaml: unsupported map key type %s at %q", v.Type().Key(), path)
	}
	if v.IsNil() {
		v.Set(reflect.MakeMap(v.Type()))
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return d.errorf(k, "key %q: keys must be plain words, found %s", path, kindName(k))
		}
		full := join(path, k.Value)
		if line, dup := seen[k.Value]; dup {
			return d.errorf(k, "key %q appears twice (first on line %d)", full, line)
		}
		seen[k.Value] = k.Line
		d.lines[full] = k.Line
		elem := reflect.New(v.Type().Elem()).Elem()
		if err := d.value(val, elem, full); err != nil {
			return err
		}
		v.SetMapIndex(reflect.ValueOf(k.Value).Convert(v.Type().Key()), elem)
	}
	return nil
}

func (d *decoder) sequence(n *yaml.Node, v reflect.Value, path string) error {
	if n.Kind != yaml.SequenceNode {
		return d.errorf(n, "key %q: expected a list, found %s", path, kindName(n))
	}
	out := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		if err := d.value(item, out.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return err
		}
	}
	v.Set(out)
	return nil
}

// fieldsByKey maps each yaml key of a struct type to its field index.
func fieldsByKey(t reflect.Type) map[string]int {
	m := make(map[string]int, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		m[name] = i
	}
	return m
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func keyOrDoc(path string) string {
	if path == "" {
		return "the file"
	}
	return "key " + strconv.Quote(path)
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	default:
		return describe(n)
	}
}

func describe(n *yaml.Node) string {
	if n.Kind != yaml.ScalarNode {
		return kindName(n)
	}
	v := n.Value
	if len(v) > 40 {
		v = v[:40] + "…"
	}
	return strconv.Quote(v)
}

// FieldError is a problem with the value of one key, found after decoding
// (by a Validate method). Path uses the same form as Lines.
type FieldError struct {
	Path    string
	Problem string
}

func (e *FieldError) Error() string { return fmt.Sprintf("key %q: %s", e.Path, e.Problem) }

// Fieldf returns a *FieldError.
func Fieldf(path, format string, args ...any) error {
	return &FieldError{Path: path, Problem: fmt.Sprintf(format, args...)}
}

// Locate rewrites the FieldErrors inside err (alone or joined with
// errors.Join) as "file:line: key …", using lines from Decode. Keys that are
// not in the file (their default value is at fault) are reported at the file.
// Other errors are prefixed with the file name.
func Locate(file string, lines Lines, err error) error {
	if err == nil {
		return nil
	}
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	out := make([]error, 0, len(errs))
	for _, e := range errs {
		var fe *FieldError
		if !errors.As(e, &fe) {
			out = append(out, fmt.Errorf("%s: %w", file, e))
			continue
		}
		if line, ok := lineOf(lines, fe.Path); ok {
			out = append(out, fmt.Errorf("%s:%d: %w", file, line, e))
		} else {
			out = append(out, fmt.Errorf("%s: %w", file, e))
		}
	}
	if len(out) == 1 {
		return out[0]
	}
	return errors.Join(out...)
}

// lineOf finds the line of path, or of its nearest ancestor in the file.
func lineOf(lines Lines, path string) (int, bool) {
	for path != "" {
		if line, ok := lines[path]; ok {
			return line, true
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return 0, false
}

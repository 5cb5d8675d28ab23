package strictyaml

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

type inner struct {
	N int               `yaml:"n"`
	M map[string]string `yaml:"m"`
}

type doc struct {
	S      string   `yaml:"s"`
	B      bool     `yaml:"b"`
	F      float64  `yaml:"f"`
	L      []string `yaml:"l"`
	In     inner    `yaml:"in"`
	P      *inner   `yaml:"p"`
	Items  []inner  `yaml:"items"`
	Hidden string   `yaml:"-"`
	small  int
}

func TestDecode(t *testing.T) {
	src := "s: hi\nb: true\nf: 2\nl: [x, y]\nin:\n  n: 3\n  m: {k: v}\np: {n: 4}\nitems:\n  - n: 5\n"
	var d doc
	lines, err := Decode("d.yaml", []byte(src), &d)
	if err != nil {
		t.Fatal(err)
	}
	want := doc{S: "hi", B: true, F: 2, L: []string{"x", "y"}, In: inner{N: 3, M: map[string]string{"k": "v"}}, P: &inner{N: 4}, Items: []inner{{N: 5}}}
	if !reflect.DeepEqual(d, want) {
		t.Fatalf("got %+v", d)
	}
	wantLines := map[string]int{"s": 1, "in.n": 6, "in.m.k": 7, "p.n": 8, "items[0].n": 10}
	for k, l := range wantLines {
		if lines[k] != l {
			t.Errorf("line of %s = %d, want %d", k, lines[k], l)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	cases := map[string]struct{ src, want string }{
		"hidden key":       {"Hidden: x\n", `d.yaml:1: unknown key "Hidden"`},
		"unexported":       {"small: 1\n", `d.yaml:1: unknown key "small"`},
		"int overflow":     {"in:\n  n: 99999999999999999999\n", `d.yaml:2: key "in.n": expected a whole number`},
		"dup in map":       {"in:\n  m: {a: 1, a: 2}\n", `d.yaml:2: key "in.m.a" appears twice`},
		"complex key":      {"? [a]\n: 1\n", `d.yaml:1: the file: keys must be plain words`},
		"bool from string": {"b: 'true'\n", `d.yaml:1: key "b": expected true or false, found "true"`},
		"float from text":  {"f: '1.5'\n", `d.yaml:1: key "f": expected a number`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var d doc
			_, err := Decode("d.yaml", []byte(tc.src), &d)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
	if _, err := Decode("d.yaml", []byte("a: 1"), doc{}); err == nil {
		t.Error("Decode accepted a non-pointer")
	}
}

func TestLocate(t *testing.T) {
	lines := Lines{"server": 3, "server.port": 4, "items[0]": 9}
	err := errors.Join(
		Fieldf("server.port", "bad"),
		Fieldf("server.bind", "worse"), // not in the file: reported at its section
		Fieldf("items[0].name", "empty"),
		Fieldf("other", "missing"),
		errors.New("plain"),
	)
	got := Locate("c.yaml", lines, err).Error()
	for _, want := range []string{
		`c.yaml:4: key "server.port": bad`,
		`c.yaml:3: key "server.bind": worse`,
		`c.yaml:9: key "items[0].name": empty`,
		`c.yaml: key "other": missing`,
		`c.yaml: plain`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
	if Locate("c.yaml", lines, nil) != nil {
		t.Error("Locate(nil) is not nil")
	}
	var fe *FieldError
	if !errors.As(Locate("c.yaml", lines, Fieldf("server.port", "x")), &fe) || fe.Path != "server.port" {
		t.Error("Locate hides the FieldError")
	}
}

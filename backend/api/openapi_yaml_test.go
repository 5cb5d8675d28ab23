package api

import (
	"fmt"
	"testing"

	"gopkg.in/yaml.v3"
)

// A key without a value in the OpenAPI document is almost always an
// unquoted comma inside a flow map ("{ description: a, b }" makes a key
// "b" with no value), which Redocly's lint refuses far from here, in
// e2e/api. No key of the document is meant to be empty.
func TestOpenAPIHasNoEmptyKeys(t *testing.T) {
	var doc any
	if err := yaml.Unmarshal(openAPIYAML, &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if x == nil {
					t.Errorf("%s/%s has no value (an unquoted comma in a flow map?)", path, k)
				}
				walk(x, path+"/"+k)
			}
		case []any:
			for i, x := range v {
				walk(x, fmt.Sprintf("%s[%d]", path, i))
			}
		}
	}
	walk(doc, "")
}

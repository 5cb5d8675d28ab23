package api

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"

	"gopkg.in/yaml.v3"
)

// The OpenAPI document is written by hand in YAML (openapi.yaml), served as
// JSON, and checked against the route table by TestOpenAPIMatchesRoutes.
//
//go:embed openapi.yaml
var openAPIYAML []byte

// openAPIDoc is the document as served (JSON) and as read by the docs page.
type openAPIDoc struct {
	json []byte
	spec spec
}

// spec is the part of the document the reference page shows.
type spec struct {
	Info struct {
		Title       string `json:"title"`
		Version     string `json:"version"`
		Summary     string `json:"summary"`
		Description string `json:"description"`
	} `json:"info"`
	Security   []map[string][]string                `json:"security"`
	Tags       []struct{ Name, Description string } `json:"tags"`
	Paths      map[string]map[string]operation      `json:"paths"`
	Components struct {
		Schemas         map[string]map[string]any `json:"schemas"`
		Parameters      map[string]parameter      `json:"parameters"`
		Responses       map[string]response       `json:"responses"`
		SecuritySchemes map[string]struct {
			Type        string `json:"type"`
			Description string `json:"description"`
		} `json:"securitySchemes"`
	} `json:"components"`
}

type operation struct {
	OperationID string                 `json:"operationId"`
	Summary     string                 `json:"summary"`
	Description string                 `json:"description"`
	Tags        []string               `json:"tags"`
	Security    *[]map[string][]string `json:"security"`
	Parameters  []parameter            `json:"parameters"`
	RequestBody *struct {
		Required bool                 `json:"required"`
		Content  map[string]mediaType `json:"content"`
	} `json:"requestBody"`
	Responses map[string]response `json:"responses"`
}

type parameter struct {
	Ref         string         `json:"$ref"`
	Name        string         `json:"name"`
	In          string         `json:"in"`
	Required    bool           `json:"required"`
	Description string         `json:"description"`
	Schema      map[string]any `json:"schema"`
}

type response struct {
	Ref         string               `json:"$ref"`
	Description string               `json:"description"`
	Content     map[string]mediaType `json:"content"`
}

type mediaType struct {
	Schema map[string]any `json:"schema"`
}

// loadOpenAPI converts the embedded YAML to JSON and reads it.
func loadOpenAPI() (*openAPIDoc, error) {
	var tree any
	if err := yaml.Unmarshal(openAPIYAML, &tree); err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	data, err := json.MarshalIndent(jsonTree(tree), "", "  ")
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	doc := &openAPIDoc{json: data}
	if err := json.Unmarshal(data, &doc.spec); err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	return doc, nil
}

// mustLoadOpenAPI loads the embedded document, which tests prove valid.
func mustLoadOpenAPI() *openAPIDoc {
	doc, err := loadOpenAPI()
	if err != nil {
		panic(err)
	}
	return doc
}

// jsonTree turns YAML's decoded values into ones encoding/json accepts:
// every mapping key must be a string.
func jsonTree(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			t[k] = jsonTree(x)
		}
		return t
	case map[any]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[fmt.Sprint(k)] = jsonTree(x)
		}
		return out
	case []any:
		for i, x := range t {
			t[i] = jsonTree(x)
		}
		return t
	}
	return v
}

func (s *server) openAPI(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	w.Write(s.doc.json)
}

// healthJSON is the answer of GET /healthz.
type healthJSON struct {
	Status  string `json:"status"`
	Version string `json:"version"`
}

func (s *server) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, healthJSON{Status: "ok", Version: s.Version})
}

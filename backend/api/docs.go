package api

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"sort"
	"strings"
)

// The reference page at /docs is rendered here from the OpenAPI document,
// with no script and no outside resource, so it works offline.
//
//go:embed docs.html
var docsHTML string

var docsTemplate = template.Must(template.New("docs").Parse(docsHTML))

// docsPage is what docs.html renders.
type docsPage struct {
	Title, Version, Summary string
	Description             []textPart
	Groups                  []docsGroup
	Schemas                 []docsSchema
}

type docsGroup struct {
	Name        string
	Description string
	Ops         []docsOp
}

type docsOp struct {
	Anchor, Method, Path, Summary, Auth string
	Description                         []textPart
	Params                              []docsField
	Bodies                              []docsBody
	Responses                           []docsResponse
}

type docsField struct {
	Name, In    string
	Description []textPart
	Required    bool
	Type        []textPart
}

type docsBody struct {
	MediaType string
	Type      []textPart
}

type docsResponse struct {
	Code        string
	Description []textPart
	Bodies      []docsBody
}

type docsSchema struct {
	Name   string
	Fields []docsField
	Type   []textPart // for schemas that are not objects with properties
}

// textPart is a piece of text: plain, code (between backticks) or a link
// to a schema.
type textPart struct {
	Text, Link string
	Code       bool
}

// renderDocs builds the page for the routes in table order.
func (s *server) renderDocs() ([]byte, error) {
	sp := s.doc.spec
	page := docsPage{Title: sp.Info.Title, Version: sp.Info.Version, Summary: sp.Info.Summary, Description: codeParts(sp.Info.Description)}
	groups := map[string]*docsGroup{}
	for _, t := range sp.Tags {
		page.Groups = append(page.Groups, docsGroup{Name: t.Name, Description: t.Description})
	}
	for i := range page.Groups {
		groups[page.Groups[i].Name] = &page.Groups[i]
	}
	for _, rt := range s.routes() {
		op, ok := sp.Paths[rt.docPath()][strings.ToLower(rt.method)]
		if !ok || len(op.Tags) == 0 || groups[op.Tags[0]] == nil {
			return nil, fmt.Errorf("%s %s is not documented under a declared tag", rt.method, rt.docPath())
		}
		g := groups[op.Tags[0]]
		g.Ops = append(g.Ops, s.docsOp(rt, op))
	}
	names := make([]string, 0, len(sp.Components.Schemas))
	for n := range sp.Components.Schemas {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		page.Schemas = append(page.Schemas, schemaDocs(n, sp.Components.Schemas[n]))
	}
	var buf bytes.Buffer
	if err := docsTemplate.Execute(&buf, page); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (s *server) docsOp(rt route, op operation) docsOp {
	sp := s.doc.spec
	d := docsOp{
		Anchor: op.OperationID, Method: rt.method, Path: rt.docPath(), Summary: op.Summary,
		Description: codeParts(op.Description), Auth: s.authText(op),
	}
	for _, p := range op.Parameters {
		if p.Ref != "" {
			p = sp.Components.Parameters[refName(p.Ref)]
		}
		d.Params = append(d.Params, docsField{Name: p.Name, In: p.In, Description: codeParts(p.Description), Required: p.Required, Type: typeParts(p.Schema)})
	}
	if op.RequestBody != nil {
		d.Bodies = bodies(op.RequestBody.Content)
	}
	codes := make([]string, 0, len(op.Responses))
	for c := range op.Responses {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		r := op.Responses[c]
		if r.Ref != "" {
			r = sp.Components.Responses[refName(r.Ref)]
		}
		d.Responses = append(d.Responses, docsResponse{Code: c, Description: codeParts(r.Description), Bodies: bodies(r.Content)})
	}
	return d
}

// authText says in words what an operation needs.
func (s *server) authText(op operation) string {
	sec := s.doc.spec.Security
	if op.Security != nil {
		sec = *op.Security
	}
	if len(sec) == 0 {
		return "none"
	}
	var names []string
	for _, req := range sec {
		for name := range req {
			switch name {
			case "bearerAuth":
				names = append(names, "session token")
			case "signedUrl", "feedSignedUrl":
				if !slices.Contains(names, "signed URL") {
					names = append(names, "signed URL")
				}
			case "feedKey":
				names = append(names, "feed key")
			default:
				names = append(names, name)
			}
		}
	}
	return strings.Join(names, " or ")
}

func bodies(content map[string]mediaType) []docsBody {
	var out []docsBody
	for mt, m := range content {
		out = append(out, docsBody{MediaType: mt, Type: typeParts(m.Schema)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].MediaType < out[j].MediaType })
	return out
}

func schemaDocs(name string, sch map[string]any) docsSchema {
	d := docsSchema{Name: name}
	props, _ := sch["properties"].(map[string]any)
	if len(props) == 0 {
		d.Type = typeParts(sch)
		return d
	}
	req := map[string]bool{}
	if list, ok := sch["required"].([]any); ok {
		for _, r := range list {
			req[fmt.Sprint(r)] = true
		}
	}
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p, _ := props[k].(map[string]any)
		desc, _ := p["description"].(string)
		d.Fields = append(d.Fields, docsField{Name: k, Required: req[k], Description: codeParts(desc), Type: typeParts(p)})
	}
	return d
}

// typeParts describes a schema in a few words, linking referenced schemas.
func typeParts(sch map[string]any) []textPart {
	if sch == nil {
		return []textPart{{Text: "any"}}
	}
	if ref, ok := sch["$ref"].(string); ok {
		n := refName(ref)
		return []textPart{{Text: n, Link: "#schema-" + n}}
	}
	var t string
	switch v := sch["type"].(type) {
	case string:
		t = v
	case []any:
		words := make([]string, len(v))
		for i, x := range v {
			words[i] = fmt.Sprint(x)
		}
		t = strings.Join(words, " or ")
	default:
		t = "any"
	}
	if t == "array" {
		items, _ := sch["items"].(map[string]any)
		return append([]textPart{{Text: "array of "}}, typeParts(items)...)
	}
	if t == "object" {
		if ap, ok := sch["additionalProperties"].(map[string]any); ok {
			return append([]textPart{{Text: "object of "}}, typeParts(ap)...)
		}
	}
	var extra []string
	if f, ok := sch["format"].(string); ok {
		extra = append(extra, f)
	}
	if e, ok := sch["enum"].([]any); ok {
		words := make([]string, len(e))
		for i, x := range e {
			words[i] = fmt.Sprint(x)
		}
		extra = append(extra, "one of "+strings.Join(words, ", "))
	}
	if len(extra) > 0 {
		t += " (" + strings.Join(extra, "; ") + ")"
	}
	return []textPart{{Text: t}}
}

func refName(ref string) string { return ref[strings.LastIndexByte(ref, '/')+1:] }

// codeParts splits text at backticks into plain and code parts.
func codeParts(text string) []textPart {
	pieces := strings.Split(text, "`")
	out := make([]textPart, 0, len(pieces))
	for i, p := range pieces {
		if p != "" {
			out = append(out, textPart{Text: p, Code: i%2 == 1})
		}
	}
	return out
}

func (s *server) docs(w http.ResponseWriter, r *http.Request) {
	page, err := s.renderDocs()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	w.Write(page)
}

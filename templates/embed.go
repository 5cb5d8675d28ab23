// Package templates holds the built-in podcast templates, one YAML file per
// template, embedded into the binary. The store merges them with the
// user's own templates; backend/template parses and validates them.
package templates

import "embed"

// FS holds every built-in template file (*.yaml) at its root.
//
//go:embed *.yaml
var FS embed.FS

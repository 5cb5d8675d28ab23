//go:build tools

// Package tools pins the build tools the Makefile compiles from source.
// The Wails CLI v2.9.2 needs a newer golang.org/x/tools than its own go.mod
// names to compile with this Go release, so it is built from this module
// (go build -o ../bin/wails github.com/wailsapp/wails/v2/cmd/wails) instead
// of go install.
package tools

import _ "github.com/wailsapp/wails/v2/cmd/wails"

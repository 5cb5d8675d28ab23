//go:build !bindings

package main

// bindingsOnly: see desktop_bindings.go.
const bindingsOnly = false

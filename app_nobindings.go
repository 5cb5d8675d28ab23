//go:build !bindings

package main

// bindingsOnly: see app_bindings.go.
const bindingsOnly = false

//go:build bindings

package main

// bindingsOnly is set when Wails builds the app only to generate the
// frontend bindings (wails build, wails generate module): it runs the app,
// which then needs nothing but the types of the bound objects.
const bindingsOnly = true

package cli

import (
	"fmt"
	"runtime"
)

func runVersion(e *env, args []string) int {
	f := newFlags("version", "", "Prints the version of podcastfy and of the Go toolchain that built it.")
	if _, code, ok := f.parse(e, args, 0, 0); !ok {
		return code
	}
	fmt.Fprintln(e.stdout, versionString(e.prog.Version))
	return exitOK
}

// versionString is "podcastfy VERSION (GO-VERSION OS/ARCH)".
func versionString(version string) string {
	return fmt.Sprintf("podcastfy %s (%s %s/%s)", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

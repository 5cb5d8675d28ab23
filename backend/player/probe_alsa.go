//go:build linux && cgo

package player

// #cgo pkg-config: alsa
//
// #include <stdlib.h>
// #include <alsa/asoundlib.h>
import "C"

import (
	"fmt"
	"strings"
	"unsafe"
)

// probeDevice opens and closes the ALSA devices oto would try, in oto's
// order (default, plug:default, then every output ALSA hints at), and
// reports whether one opened. oto can create its context once per process
// and keeps a failed one for good, so the speaker asks ALSA first: a device
// that is missing now can still be used once it appears. Like oto's own
// open, this blocks for as long as a device's open blocks.
func probeDevice() error {
	var failed []string
	for _, name := range alsaCandidates() {
		cname := C.CString(name)
		var h *C.snd_pcm_t
		rc := C.snd_pcm_open(&h, cname, C.SND_PCM_STREAM_PLAYBACK, 0)
		C.free(unsafe.Pointer(cname))
		if rc < 0 {
			failed = append(failed, fmt.Sprintf("%q: %s", name, C.GoString(C.snd_strerror(rc))))
			continue
		}
		C.snd_pcm_close(h)
		return nil
	}
	return fmt.Errorf("ALSA could not open a playback device: %s", strings.Join(failed, ", "))
}

// alsaCandidates mirrors oto's device list.
func alsaCandidates() []string {
	names := []string{"default", "plug:default"}
	iface := C.CString("pcm")
	defer C.free(unsafe.Pointer(iface))
	var hints *unsafe.Pointer
	if C.snd_device_name_hint(-1, iface, &hints) != 0 {
		return names
	}
	defer C.snd_device_name_free_hint(hints)
	ioid, nameKey := C.CString("IOID"), C.CString("NAME")
	defer C.free(unsafe.Pointer(ioid))
	defer C.free(unsafe.Pointer(nameKey))
	for _, hint := range unsafe.Slice(hints, hintCount(hints)) {
		io := C.snd_device_name_get_hint(hint, ioid)
		input := io != nil && C.GoString(io) == "Input"
		C.free(unsafe.Pointer(io))
		if input {
			continue
		}
		cname := C.snd_device_name_get_hint(hint, nameKey)
		if cname == nil {
			continue
		}
		name := C.GoString(cname)
		C.free(unsafe.Pointer(cname))
		if name != "null" && name != "default" {
			names = append(names, name)
		}
	}
	return names
}

// hintCount is the length of ALSA's NULL-terminated hint array.
func hintCount(hints *unsafe.Pointer) int {
	n := 0
	for *(*unsafe.Pointer)(unsafe.Add(unsafe.Pointer(hints), uintptr(n)*unsafe.Sizeof(uintptr(0)))) != nil {
		n++
	}
	return n
}

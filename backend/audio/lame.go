package audio

/*
#cgo LDFLAGS: -lmp3lame
#include <stdlib.h>
#include <lame/lame.h>
*/
import "C"

import (
	"fmt"
	"sync"
	"unsafe"
)

// lameQuality is LAME's algorithm quality (0 best … 9 fastest). 7 is its
// "fast" preset, which is transparent enough for speech at podcast bitrates
// and several times faster than the default.
const lameQuality = 7

// encoder is a mono CBR MP3 encoder backed by libmp3lame. It is not safe
// for concurrent use.
type encoder struct {
	gfp *C.lame_global_flags
	out []byte // LAME's output buffer for one call
	acc []byte // what one encode call returns
}

// lameShared serialises what libmp3lame shares between its encoders and
// decoders: lame_init_params and hip_decode_init fill process-wide tables,
// and the decoder (mpglib) works in static buffers, so two decoding at
// once measure garbage now and then (and chunks encoded in parallel then
// came out different from one run to the next).
var lameShared sync.Mutex

// maxEncodeChunk bounds the samples passed to LAME per call, so the output
// buffer has a fixed size (LAME's worst case is 1.25·n + 7200 bytes).
const maxEncodeChunk = 8192

// newEncoder starts an encoder. With infoFrame it reserves the first frame
// for the Info/LAME tag (only the tag template asks for that: a Stream
// writes its own tag, see infotag.go).
func newEncoder(rate, kbps int, infoFrame bool) (*encoder, error) {
	gfp := C.lame_init()
	if gfp == nil {
		return nil, fmt.Errorf("starting the MP3 encoder: libmp3lame could not allocate its state")
	}
	C.lame_set_in_samplerate(gfp, C.int(rate))
	C.lame_set_out_samplerate(gfp, C.int(rate))
	C.lame_set_num_channels(gfp, 1)
	C.lame_set_mode(gfp, C.MONO)
	C.lame_set_VBR(gfp, C.vbr_off)
	C.lame_set_brate(gfp, C.int(kbps))
	C.lame_set_quality(gfp, lameQuality)
	tag := C.int(0)
	if infoFrame {
		tag = 1
	}
	C.lame_set_bWriteVbrTag(gfp, tag)
	C.lame_set_write_id3tag_automatic(gfp, 0)
	lameShared.Lock()
	rc := C.lame_init_params(gfp)
	lameShared.Unlock()
	if rc < 0 {
		C.lame_close(gfp)
		return nil, fmt.Errorf("configuring the MP3 encoder for %d Hz mono at %d kbps failed (libmp3lame code %d)", rate, kbps, int(rc))
	}
	// LAME adjusts settings it dislikes; the timeline depends on these two.
	if got, gotKbps := int(C.lame_get_out_samplerate(gfp)), int(C.lame_get_brate(gfp)); got != rate || gotKbps != kbps {
		C.lame_close(gfp)
		return nil, fmt.Errorf("libmp3lame would encode %d Hz at %d kbps instead of %d Hz at %d kbps", got, gotKbps, rate, kbps)
	}
	return &encoder{gfp: gfp, out: make([]byte, maxEncodeChunk*5/4+7200)}, nil
}

// lowpassHz is the low-pass LAME chose for the bitrate, or 0 for none.
func (e *encoder) lowpassHz() float64 {
	return float64(C.lame_get_lowpassfreq(e.gfp))
}

// delay is the encoder delay in samples: input sample s is heard at output
// sample s + delay (before the decoder's own delay).
func (e *encoder) delay() int { return int(C.lame_get_encoder_delay(e.gfp)) }

// padding is, after flush, how many samples of silence the last frame
// holds beyond the input.
func (e *encoder) padding() int { return int(C.lame_get_encoder_padding(e.gfp)) }

// frameSamples is how many samples one MP3 frame carries (1152 for MPEG-1,
// 576 below 32 kHz).
func (e *encoder) frameSamples() int { return int(C.lame_get_framesize(e.gfp)) }

// frameCount is how many audio frames the encoder has made.
func (e *encoder) frameCount() int { return int(C.lame_get_frameNum(e.gfp)) }

// lameVersion names the libmp3lame build, for keys of stored frames.
func lameVersion() string { return C.GoString(C.get_lame_version()) }

// encode returns the MP3 bytes LAME produced for pcm (samples in [-1, 1]).
// The returned slice is valid until the next call.
func (e *encoder) encode(pcm []float32) ([]byte, error) {
	e.acc = e.acc[:0]
	for len(pcm) > 0 {
		n := min(len(pcm), maxEncodeChunk)
		p := (*C.float)(unsafe.Pointer(&pcm[0]))
		rc := C.lame_encode_buffer_ieee_float(e.gfp, p, p, C.int(n),
			(*C.uchar)(unsafe.Pointer(&e.out[0])), C.int(len(e.out)))
		if rc < 0 {
			return nil, fmt.Errorf("MP3 encoding failed (libmp3lame code %d)", int(rc))
		}
		e.acc = append(e.acc, e.out[:rc]...)
		pcm = pcm[n:]
	}
	return e.acc, nil
}

// flush encodes what LAME still buffers and returns the final frames.
func (e *encoder) flush() ([]byte, error) {
	rc := C.lame_encode_flush(e.gfp, (*C.uchar)(unsafe.Pointer(&e.out[0])), C.int(len(e.out)))
	if rc < 0 {
		return nil, fmt.Errorf("finishing the MP3 stream failed (libmp3lame code %d)", int(rc))
	}
	return e.out[:rc], nil
}

// lameTag returns the Info/LAME tag frame (exact length, encoder delay and
// padding) that replaces the placeholder frame at the start of the stream.
func (e *encoder) lameTag() []byte {
	n := C.lame_get_lametag_frame(e.gfp, nil, 0)
	if n == 0 {
		return nil
	}
	buf := make([]byte, n)
	C.lame_get_lametag_frame(e.gfp, (*C.uchar)(unsafe.Pointer(&buf[0])), n)
	return buf
}

func (e *encoder) close() {
	if e.gfp != nil {
		C.lame_close(e.gfp)
		e.gfp = nil
	}
}

// decoder decodes MP3 frames with libmp3lame's own decoder (hip), so that
// mastering can measure what listeners will actually hear.
type decoder struct {
	hip  C.hip_t
	l, r []C.short
	pcm  []float32
}

// hipFrameSamples is the most samples one hip_decode1 call returns.
const hipFrameSamples = 1152

func newDecoder() (*decoder, error) {
	lameShared.Lock()
	h := C.hip_decode_init()
	lameShared.Unlock()
	if h == nil {
		return nil, fmt.Errorf("starting the MP3 decoder: libmp3lame could not allocate its state")
	}
	return &decoder{hip: h, l: make([]C.short, hipFrameSamples), r: make([]C.short, hipFrameSamples)}, nil
}

// decode takes the next bytes of the stream and returns the samples they
// complete, valid until the next call.
func (d *decoder) decode(mp3 []byte) ([]float32, error) {
	d.pcm = d.pcm[:0]
	var in *C.uchar
	if len(mp3) > 0 {
		in = (*C.uchar)(unsafe.Pointer(&mp3[0]))
	}
	// Each call decodes at most one frame; the one given the bytes may
	// decode none (it waits for the next frame's header) while whole
	// frames are buffered, so the calls go on until one decodes nothing.
	lameShared.Lock()
	defer lameShared.Unlock()
	n := C.hip_decode1(d.hip, in, C.size_t(len(mp3)), &d.l[0], &d.r[0])
	for {
		if n < 0 {
			return nil, fmt.Errorf("decoding the MP3 for verification failed (libmp3lame code %d)", int(n))
		}
		for _, v := range d.l[:n] {
			d.pcm = append(d.pcm, float32(v)/32768)
		}
		if n = C.hip_decode1(d.hip, nil, 0, &d.l[0], &d.r[0]); n == 0 {
			return d.pcm, nil
		}
	}
}

func (d *decoder) close() {
	if d.hip != nil {
		C.hip_decode_exit(d.hip)
		d.hip = nil
	}
}

// Package ttstest holds test doubles for speech synthesis: an in-memory
// tts.Synthesizer, and fake Kokoro-FastAPI / speaches, Kyutai (moshi-server)
// and Piper servers built from shared/reference/protocols.md §3–5, with
// injectable faults. Other packages' tests may use them freely.
package ttstest

import (
	"encoding/binary"
	"math"
	"unicode/utf8"
)

// SecondsPerRune is how long the fakes speak per character of text at
// speed 1, so tests can predict clip lengths (see Duration).
const SecondsPerRune = 0.01

// Duration is the length in seconds of the audio the fakes return for text
// at the given speed (0 means 1).
func Duration(text string, speed float64) float64 {
	if speed <= 0 {
		speed = 1
	}
	return float64(utf8.RuneCountInString(text)) * SecondsPerRune / speed
}

// Tone returns n samples of a quiet 220 Hz sine at rate, standing in for
// speech. The wave repeats every second, so one second is computed and copied.
func Tone(n, rate int) []float32 {
	second := make([]float32, rate)
	for i := range second {
		second[i] = float32(0.3 * math.Sin(2*math.Pi*220*float64(i)/float64(rate)))
	}
	out := make([]float32, n)
	for i := 0; i < n; i += rate {
		copy(out[i:], second)
	}
	return out
}

// samplesFor is Tone for text at speed.
func samplesFor(text string, speed float64, rate int) []float32 {
	return Tone(int(math.Round(Duration(text, speed)*float64(rate))), rate)
}

// PCM16 encodes samples as signed 16-bit little-endian.
func PCM16(samples []float32) []byte {
	out := make([]byte, 2*len(samples))
	for i, s := range samples {
		v := int16(math.Round(float64(max(-1, min(1, s))) * 32767))
		binary.LittleEndian.PutUint16(out[2*i:], uint16(v))
	}
	return out
}

// WAV returns a 16-bit mono WAV of samples. With streamed set, the RIFF and
// data sizes are 0xFFFFFFFF as Kokoro-FastAPI and speaches send them when
// streaming.
func WAV(samples []float32, rate int, streamed bool) []byte {
	return append(WAVHeader(rate, len(samples)*2, streamed), PCM16(samples)...)
}

// WAVHeader is the 44-byte header of a 16-bit mono WAV announcing
// dataBytes of audio (or 0xFFFFFFFF placeholders when streamed).
func WAVHeader(rate, dataBytes int, streamed bool) []byte {
	riff, data := uint32(36+dataBytes), uint32(dataBytes)
	if streamed {
		riff, data = 0xFFFFFFFF, 0xFFFFFFFF
	}
	h := make([]byte, 0, 44)
	h = append(h, "RIFF"...)
	h = binary.LittleEndian.AppendUint32(h, riff)
	h = append(h, "WAVEfmt "...)
	h = binary.LittleEndian.AppendUint32(h, 16)
	h = binary.LittleEndian.AppendUint16(h, 1) // PCM
	h = binary.LittleEndian.AppendUint16(h, 1) // mono
	h = binary.LittleEndian.AppendUint32(h, uint32(rate))
	h = binary.LittleEndian.AppendUint32(h, uint32(rate*2))
	h = binary.LittleEndian.AppendUint16(h, 2)
	h = binary.LittleEndian.AppendUint16(h, 16)
	h = append(h, "data"...)
	h = binary.LittleEndian.AppendUint32(h, data)
	return h
}

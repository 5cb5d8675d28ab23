// Package player owns native playback of a podcast's MP3 file: decoding
// (beep/mp3), the controls (play, pause, resume, seek, speed, volume), the
// position and end-of-track events, and the sound device itself, including
// telling the rest of the app clearly when there is no usable device.
//
// # Device
//
// The device is an [Output]. The real one, [NewSpeaker], plays through oto
// (ALSA on Linux). It is opened on the first Play, at the sample rate of the
// first file loaded; files at other rates are resampled (beep.Resample).
// oto allows one device per process, so an app has one speaker-backed Player.
//
// On a machine without a sound card ALSA refuses to open, and oto would then
// accept samples and never play them; a driver can also hang while opening,
// or stop taking samples. The Player guards all three with a watchdog
// (Options.Watchdog, 1 s by default): Play returns [ErrNoOutput] and the
// state becomes [StateNoOutput] with the message "no audio output device
// found"; loading, seeking and the rest keep working. The next Play tries
// the device again, so speakers plugged in later are used without a restart
// (oto opens one device per process and never retries, so on Linux the
// speaker asks ALSA first and calls oto only once a device opens); an open
// that only ran late is picked up by the next Play. If a driver hangs inside
// ALSA's open call, oto's own opening goroutine stays blocked there (Go cannot
// interrupt a C call): that is the one goroutine that may outlive Close.
//
// # Speed
//
// Speeds from 0.5× to 2× keep the pitch: a WSOLA time-stretch (30 ms
// frames, half overlapping, each aligned to the best-matching neighbourhood)
// made for speech. At exactly 1× samples pass through untouched. With music
// or sharp transients at the extremes it can sound slightly smeared, the
// usual limit of time-domain stretching.
//
// # Position
//
// Position is the place in the audio of the samples handed to the device,
// in seconds, less the device's buffer (about 0.1–0.2 s) while playing. It
// counts from the first sample the file was made from: the decoder's own
// lead-in (the Info frame, the encoder's delay and the filterbank's, which
// the LAME tag records) is dropped, so positions agree with the captions and
// chapters, which are computed from exact sample offsets before encoding.
// Chapters and transcript lines are seeked by their start time: callers turn
// them into seconds and call Seek.
package player

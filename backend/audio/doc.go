// Package audio owns everything between TTS clips and a finished podcast
// file: decoding what TTS engines return (WAV, raw PCM, float32),
// resampling to one output rate, the caching format for synthesised lines
// (16-bit WAV plus a per-line loudness analysis), and mastering: gaps
// between turns, loudness normalisation to a target in LUFS (ITU-R
// BS.1770-4 with gating), a true-peak limiter, MP3 encoding with
// libmp3lame, ID3v2.4 tags with chapters, and the WebVTT, SRT and
// Podcasting 2.0 chapter files derived from the exact sample offset of
// every line.
//
// Mastering streams: one segment is decoded at a time, so memory stays
// bounded whatever the podcast's length. Each line becomes its own chunk
// of MP3 frames, in silence at both ends (chunk.go), placed by the
// file's Index, so a later version of the podcast copies the frames of
// every line it did not change (Reused) and costs what its changes cost.
//
// Mono is measured the way BS.1770 treats a one-channel signal: the
// channel's K-weighted mean square with weight 1.0, so
// L = -0.691 + 10·log10(mean square). A mono file therefore reads 3 LU
// lower than the same signal on both channels of a stereo file (a 1 kHz
// sine at -23 dBFS reads -26 LUFS in mono, -23 LUFS as EBU Tech 3341
// stereo), which is what ffmpeg's ebur128 filter reports for a mono file.
package audio

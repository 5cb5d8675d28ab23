// Playback in a browser: an <audio> element playing the podcast's signed
// audio URL, reporting the same PlayerStatus the desktop's native player
// does. While playing, the position is reported on animation frames at
// most ten times a second, so the transcript follows closely.

import type { PlayerPort, Unsubscribe } from './backend';
import { AppError } from './errors';
import type { PlayerState, PlayerStatus } from './types';

const minSpeed = 0.5;
const maxSpeed = 2;

/** A PlayerPort on an HTMLAudioElement (made here unless one is given). */
export function audioPlayer(
  el: HTMLAudioElement = new Audio(),
  frame: (cb: () => void) => number = (cb) => requestAnimationFrame(cb),
): PlayerPort {
  const listeners = new Set<(s: PlayerStatus) => void>();
  let podcastId = '';
  let state: PlayerState = 'idle';
  let error = '';
  let lastEmit = 0;
  let ticking = false;

  el.preload = 'auto';

  const status = (): PlayerStatus => ({
    state,
    podcastId,
    position: Number.isFinite(el.currentTime) ? el.currentTime : 0,
    duration: Number.isFinite(el.duration) ? el.duration : 0,
    speed: el.playbackRate,
    volume: el.volume,
    ...(error ? { error } : {}),
  });
  const emit = () => {
    const s = status();
    listeners.forEach((cb) => cb(s));
  };
  const tick = () => {
    if (state !== 'playing') {
      ticking = false;
      return;
    }
    const now = performance.now();
    if (now - lastEmit >= 100) {
      lastEmit = now;
      emit();
    }
    frame(tick);
  };
  const setState = (s: PlayerState) => {
    state = s;
    emit();
    if (s === 'playing' && !ticking) {
      ticking = true;
      frame(tick);
    }
  };

  el.addEventListener('playing', () => setState('playing'));
  el.addEventListener('pause', () => {
    if (state !== 'ended' && state !== 'idle') setState('paused');
  });
  el.addEventListener('ended', () => setState('ended'));
  el.addEventListener('seeked', emit);
  el.addEventListener('loadedmetadata', emit);
  el.addEventListener('ratechange', emit);
  el.addEventListener('volumechange', emit);
  el.addEventListener('error', () => {
    if (!podcastId) return;
    error = 'The audio could not be loaded: the link may have expired. Open the podcast again.';
    setState('error');
  });

  const needTrack = () => {
    if (!podcastId) throw new AppError({ code: 'no_podcast', message: 'No podcast loaded: open one before playing or seeking.' });
  };

  const port: PlayerPort = {
    async load(detail) {
      if (!detail.podcast.audioUrl) throw new AppError({ code: 'no_audio', message: `“${detail.podcast.title}” has no audio file.` });
      podcastId = detail.podcast.id;
      error = '';
      state = 'loading';
      el.src = detail.podcast.audioUrl;
      el.load();
      setState('idle');
      return status();
    },
    async play() {
      needTrack();
      try {
        await el.play();
      } catch (err) {
        if (err instanceof DOMException && err.name === 'NotAllowedError') {
          throw new AppError({ code: 'playback_blocked', message: 'The browser blocked playback: press play again.' });
        }
        if (err instanceof DOMException && err.name === 'AbortError') {
          return status();
        }
        throw new AppError({ code: 'playback_failed', message: `Playback failed: ${err instanceof Error ? err.message : String(err)}` });
      }
      return status();
    },
    async pause() {
      needTrack();
      el.pause();
      return status();
    },
    async toggle() {
      return state === 'playing' ? port.pause() : port.play();
    },
    async stop() {
      el.pause();
      if (podcastId) el.currentTime = 0;
      setState('idle');
      return status();
    },
    async seek(seconds) {
      needTrack();
      const max = Number.isFinite(el.duration) ? el.duration : seconds;
      el.currentTime = Math.min(Math.max(0, seconds), max);
      if (state === 'ended') state = 'paused';
      emit();
      return status();
    },
    async setSpeed(x) {
      el.playbackRate = Math.min(Math.max(minSpeed, x), maxSpeed);
      el.preservesPitch = true;
      return status();
    },
    async setVolume(v) {
      el.volume = Math.min(Math.max(0, v), 1);
      return status();
    },
    async status() {
      return status();
    },
    subscribe(onStatus): Unsubscribe {
      listeners.add(onStatus);
      return () => listeners.delete(onStatus);
    },
  };
  return port;
}

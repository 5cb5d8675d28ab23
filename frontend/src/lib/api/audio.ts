// Playback in a browser: an <audio> element playing the podcast's signed
// audio URL, reporting the same PlayerStatus the desktop's native player
// does. While playing, the position is reported on animation frames at
// most ten times a second, so the transcript follows closely.
//
// A running job is listened to through its live audio (listenLive): the
// MP3 so far, growing until the job ends. When the podcast is made,
// continueInto goes on in its file from where the live audio is, without
// a restart: a second element is made ready a moment ahead, and takes
// over when the live one reaches that moment.

import type { PlayerPort, Unsubscribe } from './backend';
import { AppError } from './errors';
import type { PlayerState, PlayerStatus } from './types';

const minSpeed = 0.5;
const maxSpeed = 2;
/** Seconds ahead of the live position the podcast's element waits, ready, for the handover. */
const handoverLead = 0.4;

/** Resolves on the element's event, rejects on its error. */
function once(el: HTMLAudioElement, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      el.removeEventListener(name, done);
      el.removeEventListener('error', failed);
      resolve();
    };
    const failed = () => {
      el.removeEventListener(name, done);
      el.removeEventListener('error', failed);
      reject(new AppError({ code: 'audio_unavailable', message: 'The podcast’s audio could not be loaded: open it from the library.' }));
    };
    el.addEventListener(name, done);
    el.addEventListener('error', failed);
  });
}

/** A PlayerPort on an HTMLAudioElement (made here unless one is given); make gives the element a handover plays on. */
export function audioPlayer(
  first: HTMLAudioElement = new Audio(),
  frame: (cb: () => void) => number = (cb) => requestAnimationFrame(cb),
  make: () => HTMLAudioElement = () => new Audio(),
): PlayerPort {
  const listeners = new Set<(s: PlayerStatus) => void>();
  let el = first;
  let podcastId = '';
  let jobId = ''; // while the live audio of a job plays
  let state: PlayerState = 'idle';
  let error = '';
  let lastEmit = 0;
  let ticking = false;

  const status = (): PlayerStatus => ({
    state,
    podcastId,
    ...(jobId ? { jobId } : {}),
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

  const on: Record<string, () => void> = {
    playing: () => setState('playing'),
    pause: () => {
      if (state !== 'ended' && state !== 'idle') setState('paused');
    },
    ended: () => setState('ended'),
    seeked: emit,
    loadedmetadata: emit,
    ratechange: emit,
    volumechange: emit,
    error: () => {
      if (!podcastId && !jobId) return;
      error = jobId
        ? 'The live audio could not be loaded: the job may have ended. Open the podcast once it is made.'
        : 'The audio could not be loaded: the link may have expired. Open the podcast again.';
      setState('error');
    },
  };
  const attach = (a: HTMLAudioElement) => {
    a.preload = 'auto';
    for (const [name, fn] of Object.entries(on)) a.addEventListener(name, fn);
  };
  const detach = (a: HTMLAudioElement) => {
    for (const [name, fn] of Object.entries(on)) a.removeEventListener(name, fn);
  };
  attach(el);

  const needTrack = () => {
    if (!podcastId && !jobId) throw new AppError({ code: 'no_podcast', message: 'No podcast loaded: open one before playing or seeking.' });
  };

  const port: PlayerPort = {
    async load(detail) {
      if (!detail.podcast.audioUrl) throw new AppError({ code: 'no_audio', message: `“${detail.podcast.title}” has no audio file.` });
      podcastId = detail.podcast.id;
      jobId = '';
      error = '';
      state = 'loading';
      el.src = detail.podcast.audioUrl;
      el.load();
      setState('idle');
      return status();
    },
    async listenLive(job) {
      if (!job.liveAudioUrl) throw new AppError({ code: 'no_live_audio', message: 'This job has no live audio: it is not running.' });
      podcastId = '';
      jobId = job.id;
      error = '';
      state = 'loading';
      el.src = job.liveAudioUrl;
      el.load();
      setState('idle');
      return status();
    },
    async continueInto(detail) {
      if (!jobId) return port.load(detail);
      if (!detail.podcast.audioUrl) throw new AppError({ code: 'no_audio', message: `“${detail.podcast.title}” has no audio file.` });
      const live = el;
      const next = make();
      next.preload = 'auto';
      next.playbackRate = live.playbackRate;
      next.preservesPitch = true;
      next.volume = live.volume;
      const ready = once(next, 'loadedmetadata');
      next.src = detail.podcast.audioUrl;
      next.load();
      await ready;
      const playing = !live.paused && !live.ended;
      // Ready a moment ahead while the live audio plays on, then take over
      // when it gets there: no gap to seek or buffer, and no restart.
      const at = playing ? live.currentTime + handoverLead * live.playbackRate : live.currentTime;
      const seeked = once(next, 'seeked');
      next.currentTime = Math.min(at, Number.isFinite(next.duration) ? next.duration : at);
      await seeked;
      if (playing) {
        await new Promise<void>((resolve) => {
          const check = () => (live.currentTime >= at || live.paused || live.ended ? resolve() : frame(check));
          frame(check);
        });
        if (!live.paused && !live.ended) await next.play();
      }
      detach(live);
      live.pause();
      live.removeAttribute('src');
      live.load();
      el = next;
      attach(next);
      podcastId = detail.podcast.id;
      jobId = '';
      error = '';
      setState(next.paused ? (next.ended ? 'ended' : 'paused') : 'playing');
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
      if (jobId) throw new AppError({ code: 'live', message: 'The podcast is still being made: seeking works once it is done.' });
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

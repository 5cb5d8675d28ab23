import { describe, expect, it, vi } from 'vitest';
import { audioPlayer } from './audio';
import type { PodcastDetail, PlayerStatus } from './types';

// FakeAudio behaves like an HTMLAudioElement as far as audioPlayer uses it:
// play and pause fire the media events a browser fires.
class FakeAudio extends EventTarget {
  src = '';
  preload = '';
  currentTime = 0;
  duration = NaN;
  playbackRate = 1;
  volume = 1;
  preservesPitch = false;
  paused = true;
  playError: Error | null = null;
  load() {
    this.duration = 60;
    this.dispatchEvent(new Event('loadedmetadata'));
  }
  async play() {
    if (this.playError) throw this.playError;
    this.paused = false;
    this.dispatchEvent(new Event('playing'));
  }
  pause() {
    this.paused = true;
    this.dispatchEvent(new Event('pause'));
  }
}

const detail = { podcast: { id: 'p1', audioUrl: '/podcasts/p1/audio?sig=s' } } as PodcastDetail;

function setup() {
  const el = new FakeAudio();
  const frames: (() => void)[] = [];
  const port = audioPlayer(el as unknown as HTMLAudioElement, (cb) => frames.push(cb));
  const seen: PlayerStatus[] = [];
  const off = port.subscribe((s) => seen.push(s));
  return { el, port, seen, off, frames };
}

describe('audioPlayer', () => {
  it('loads the signed URL and reports the duration', async () => {
    const { el, port } = setup();
    const s = await port.load(detail);
    expect(el.src).toBe('/podcasts/p1/audio?sig=s');
    expect(s).toMatchObject({ state: 'idle', podcastId: 'p1', duration: 60, position: 0 });
  });

  it('plays, reports positions on frames while playing, and pauses', async () => {
    const { el, port, seen, frames } = setup();
    await port.load(detail);
    await port.toggle();
    expect(seen.at(-1)?.state).toBe('playing');
    expect(frames).toHaveLength(1);
    el.currentTime = 3;
    vi.spyOn(performance, 'now').mockReturnValue(1e9);
    frames.shift()!();
    expect(seen.at(-1)).toMatchObject({ state: 'playing', position: 3 });
    await port.toggle();
    expect(seen.at(-1)?.state).toBe('paused');
    frames.shift()!();
    expect(frames).toHaveLength(0);
    vi.restoreAllMocks();
  });

  it('clamps seeks, speed and volume', async () => {
    const { el, port } = setup();
    await port.load(detail);
    expect((await port.seek(100)).position).toBe(60);
    expect((await port.seek(-4)).position).toBe(0);
    expect((await port.setSpeed(5)).speed).toBe(2);
    expect(el.preservesPitch).toBe(true);
    expect((await port.setSpeed(0.1)).speed).toBe(0.5);
    expect((await port.setVolume(1.5)).volume).toBe(1);
  });

  it('refuses to play or seek before a podcast is loaded', async () => {
    const { port } = setup();
    await expect(port.play()).rejects.toThrow('No podcast loaded');
    await expect(port.seek(3)).rejects.toThrow('No podcast loaded');
  });

  it('explains a blocked autoplay and a broken audio link', async () => {
    const { el, port, seen } = setup();
    await port.load(detail);
    el.playError = new DOMException('blocked', 'NotAllowedError');
    await expect(port.play()).rejects.toThrow('The browser blocked playback');
    el.dispatchEvent(new Event('error'));
    expect(seen.at(-1)).toMatchObject({ state: 'error', error: expect.stringContaining('could not be loaded') });
  });

  it('stops reporting after unsubscribe', async () => {
    const { el, port, seen, off } = setup();
    await port.load(detail);
    off();
    const n = seen.length;
    el.dispatchEvent(new Event('ended'));
    expect(seen).toHaveLength(n);
  });
});

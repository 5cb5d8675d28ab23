// Reading the WebVTT transcript the backend writes (audio.WriteVTT): one cue
// per script line, "<v Speaker>text", with &, < and > escaped.

import type { Chapter, ChapterMark, Cue } from './types';

function seconds(stamp: string): number {
  const parts = stamp.trim().split(':').map(Number);
  if (parts.some((p) => Number.isNaN(p))) return NaN;
  return parts.reduce((acc, p) => acc * 60 + p, 0);
}

function unescape(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The cues of a WebVTT file; malformed cues are skipped. */
export function parseVTT(text: string): Cue[] {
  const cues: Cue[] = [];
  for (const block of text.replace(/\r\n?/g, '\n').split(/\n{2,}/)) {
    const lines = block.split('\n').filter((l) => l !== '');
    const at = lines.findIndex((l) => l.includes('-->'));
    if (at < 0) continue;
    const [from, to] = lines[at].split('-->');
    const start = seconds(from);
    const end = seconds(to.trim().split(/\s+/)[0]);
    if (Number.isNaN(start) || Number.isNaN(end)) continue;
    let body = lines.slice(at + 1).join(' ');
    let speaker = '';
    const voice = /^<v(?:\.[^ >]*)? ([^>]*)>/.exec(body);
    if (voice) {
      speaker = unescape(voice[1]);
      body = body.slice(voice[0].length).replace(/<\/v>$/, '');
    }
    cues.push({ index: cues.length, speaker, text: unescape(body), start, end });
  }
  return cues;
}

/** Chapters with their ends, from chapter starts and the podcast's duration. */
export function chapterSpans(marks: ChapterMark[], duration: number): Chapter[] {
  return marks.map((m, i) => ({
    index: i,
    title: m.title,
    start: m.start,
    end: i + 1 < marks.length ? marks[i + 1].start : duration,
  }));
}

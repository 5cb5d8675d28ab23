// Field paths as the server names them in an error ({"field":
// "chapters[2].lines[5].text"}) and as the browser's own checks do, and
// their pinning to the line or chapter they meant: a path holds indexes
// into the script that was sent, which stop being right as soon as lines
// move, so a server error is kept against the line's key instead.

import type { EditState } from './model';

export type LineProp = 'speaker' | 'text';
export type ChapterProp = 'title' | 'lines';
export type SpeakerProp = 'name' | 'voice' | 'speed';

export const linePath = (ci: number, li: number, prop: LineProp) => `chapters[${ci}].lines[${li}].${prop}`;
export const chapterPath = (ci: number, prop: ChapterProp) => `chapters[${ci}].${prop}`;
export const speakerPath = (i: number, prop: SpeakerProp) => `speakers[${i}].${prop}`;

/** What a field path names. */
export type Target =
  | { kind: 'line'; chapter: number; line: number; prop: LineProp | '' }
  | { kind: 'chapter'; chapter: number; prop: ChapterProp | '' }
  | { kind: 'speaker'; speaker: number; prop: SpeakerProp | '' }
  | { kind: 'script'; field: string };

const lineRe = /^chapters\[(\d+)\]\.lines\[(\d+)\](?:\.(speaker|text))?$/;
const chapterRe = /^chapters\[(\d+)\](?:\.(title|lines))?$/;
const speakerRe = /^speakers\[(\d+)\](?:\.(name|voice|speed))?$/;

/** Reads a field path; anything it does not know is about the whole script. */
export function parseFieldPath(field: string): Target {
  let m = lineRe.exec(field);
  if (m) return { kind: 'line', chapter: Number(m[1]), line: Number(m[2]), prop: (m[3] ?? '') as LineProp | '' };
  m = chapterRe.exec(field);
  if (m) return { kind: 'chapter', chapter: Number(m[1]), prop: (m[2] ?? '') as ChapterProp | '' };
  m = speakerRe.exec(field);
  if (m) return { kind: 'speaker', speaker: Number(m[1]), prop: (m[2] ?? '') as SpeakerProp | '' };
  return { kind: 'script', field };
}

/**
 * A server problem pinned to what it is about: a line or chapter by key,
 * a speaker by index (speakers never move), or the script as a whole.
 */
export interface PinnedProblem {
  anchor: { kind: 'line' | 'chapter'; key: number } | { kind: 'speaker'; index: number } | { kind: 'script' };
  prop: string;
  message: string;
}

/** Pins a problem the server reported for the script s as it was sent. */
export function pin(s: EditState, field: string, message: string): PinnedProblem {
  const t = parseFieldPath(field);
  if (t.kind === 'line') {
    const l = s.chapters[t.chapter]?.lines[t.line];
    if (l) return { anchor: { kind: 'line', key: l.key }, prop: t.prop, message };
  } else if (t.kind === 'chapter') {
    const ch = s.chapters[t.chapter];
    if (ch) return { anchor: { kind: 'chapter', key: ch.key }, prop: t.prop, message };
  } else if (t.kind === 'speaker' && s.speakers[t.speaker]) {
    return { anchor: { kind: 'speaker', index: t.speaker }, prop: t.prop, message };
  }
  return { anchor: { kind: 'script' }, prop: field, message };
}

/** The field path a pinned problem has in s now ("" for the whole script, or when its line is gone). */
export function pathNow(s: EditState, p: PinnedProblem): string {
  const a = p.anchor;
  if (a.kind === 'speaker') return p.prop ? speakerPath(a.index, p.prop as SpeakerProp) : `speakers[${a.index}]`;
  if (a.kind === 'script') return '';
  for (let ci = 0; ci < s.chapters.length; ci++) {
    const ch = s.chapters[ci];
    if (a.kind === 'chapter' && ch.key === a.key) return p.prop ? chapterPath(ci, p.prop as ChapterProp) : `chapters[${ci}]`;
    if (a.kind === 'line') {
      const li = ch.lines.findIndex((l) => l.key === a.key);
      if (li >= 0) return p.prop ? linePath(ci, li, p.prop as LineProp) : `chapters[${ci}].lines[${li}]`;
    }
  }
  return '';
}

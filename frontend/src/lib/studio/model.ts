// The script being edited: the saved ScriptDoc turned into chapters and
// lines that carry a stable key (for Svelte's keyed lists and for pinning a
// server's error to the line it named even after lines move) and where they
// came from in the saved script (for rewrites, which the server applies to
// the saved text, and for showing what changed). Every edit is a function
// here that changes the state in place, so the same code runs on a Svelte
// $state proxy in the editor and on a plain object in the tests.

import type { ScriptDoc, ScriptLine, ScriptSpeaker } from '../api/studio';

/** Where a line sits in the saved script (0-based). */
export interface LineRef {
  chapter: number;
  line: number;
}

export interface EditLine {
  key: number;
  speaker: string;
  text: string;
  /** Its place in the saved script; null for a line added here. */
  origin: LineRef | null;
}

export interface EditChapter {
  key: number;
  title: string;
  /** Its index in the saved script; null for a chapter made here. */
  origin: number | null;
  lines: EditLine[];
}

export interface EditState {
  speakers: ScriptSpeaker[];
  chapters: EditChapter[];
  /** The next key to hand out. */
  nextKey: number;
}

/** The editable state of a saved script. */
export function fromDoc(doc: ScriptDoc): EditState {
  let nextKey = 1;
  const chapters = doc.chapters.map((ch, ci) => ({
    key: nextKey++,
    title: ch.title,
    origin: ci,
    lines: ch.lines.map((l, li) => ({ key: nextKey++, speaker: l.speaker, text: l.text, origin: { chapter: ci, line: li } })),
  }));
  return { speakers: doc.speakers.map((s) => ({ ...s })), chapters, nextKey };
}

/** The script to save: base's other fields with the edited speakers and chapters. */
export function toDoc(base: ScriptDoc, s: EditState): ScriptDoc {
  return {
    ...base,
    speakers: s.speakers.map(({ name, voice, speed }) => ({ name, voice, speed })),
    chapters: s.chapters.map((ch) => ({ title: ch.title, lines: ch.lines.map(({ speaker, text }) => ({ speaker, text })) })),
  };
}

/** Where a line with this key is now, or null when it is gone. */
export function findLine(s: EditState, key: number): LineRef | null {
  for (let ci = 0; ci < s.chapters.length; ci++) {
    const li = s.chapters[ci].lines.findIndex((l) => l.key === key);
    if (li >= 0) return { chapter: ci, line: li };
  }
  return null;
}

/**
 * Adds an empty line at position at of chapter ci (the end when at is
 * past it), spoken by speaker, or by whoever did not speak the line
 * before it so that a dialogue goes on naturally. Returns its key.
 */
export function insertLine(s: EditState, ci: number, at: number, speaker?: string): number {
  const ch = s.chapters[ci];
  if (!ch) return 0;
  const i = Math.max(0, Math.min(at, ch.lines.length));
  const prev = ch.lines[i - 1]?.speaker ?? s.chapters[ci - 1]?.lines.at(-1)?.speaker;
  const names = s.speakers.map((sp) => sp.name);
  const who = speaker ?? names.find((n) => n !== prev) ?? names[0] ?? '';
  const key = s.nextKey++;
  ch.lines.splice(i, 0, { key, speaker: who, text: '', origin: null });
  return key;
}

/** Removes line li of chapter ci. */
export function deleteLine(s: EditState, ci: number, li: number): void {
  s.chapters[ci]?.lines.splice(li, 1);
}

/**
 * Moves line li of chapter ci one place up (-1) or down (+1). From the
 * first line of a chapter up, it joins the end of the chapter before; from
 * the last line down, the start of the next one. Returns where it is now,
 * or null when it cannot move (the first line of the script up, the last
 * down).
 */
export function moveLine(s: EditState, ci: number, li: number, dir: -1 | 1): LineRef | null {
  const ch = s.chapters[ci];
  if (!ch || !ch.lines[li]) return null;
  const to = li + dir;
  if (to >= 0 && to < ch.lines.length) {
    const [line] = ch.lines.splice(li, 1);
    ch.lines.splice(to, 0, line);
    return { chapter: ci, line: to };
  }
  const other = s.chapters[ci + dir];
  if (!other) return null;
  const [line] = ch.lines.splice(li, 1);
  if (dir < 0) {
    other.lines.push(line);
    return { chapter: ci - 1, line: other.lines.length - 1 };
  }
  other.lines.unshift(line);
  return { chapter: ci + 1, line: 0 };
}

/**
 * Moves where chapter ci (not the first) starts: -1 takes the last line of
 * the chapter before into it, +1 gives its first line to the chapter before.
 * Returns false when there is no line to move.
 */
export function moveChapterStart(s: EditState, ci: number, dir: -1 | 1): boolean {
  const prev = s.chapters[ci - 1];
  const ch = s.chapters[ci];
  if (!prev || !ch) return false;
  if (dir < 0) {
    if (prev.lines.length === 0) return false;
    ch.lines.unshift(prev.lines.pop()!);
    return true;
  }
  if (ch.lines.length === 0) return false;
  prev.lines.push(ch.lines.shift()!);
  return true;
}

/**
 * Starts a new chapter, titled title, at line li (not the first) of chapter
 * ci: that line and the ones after it move into it. Returns the new
 * chapter's index, or -1 when li cannot start one.
 */
export function splitChapter(s: EditState, ci: number, li: number, title: string): number {
  const ch = s.chapters[ci];
  if (!ch || li <= 0 || li >= ch.lines.length) return -1;
  const lines = ch.lines.splice(li);
  s.chapters.splice(ci + 1, 0, { key: s.nextKey++, title, origin: null, lines });
  return ci + 1;
}

/** Joins chapter ci (not the first) to the chapter before it: its start is gone. */
export function mergeChapter(s: EditState, ci: number): boolean {
  const prev = s.chapters[ci - 1];
  const ch = s.chapters[ci];
  if (!prev || !ch) return false;
  prev.lines.push(...ch.lines);
  s.chapters.splice(ci, 1);
  return true;
}

/** Removes chapter ci when it has no lines left. */
export function removeEmptyChapter(s: EditState, ci: number): boolean {
  if (s.chapters[ci]?.lines.length !== 0 || s.chapters.length <= 1) return false;
  s.chapters.splice(ci, 1);
  return true;
}

/**
 * Puts lines (an accepted rewrite) in place of line li of chapter ci, or of
 * the whole chapter when li is null. A line whose text and speaker the
 * rewrite kept keeps its key and origin.
 */
export function replaceLines(s: EditState, ci: number, li: number | null, lines: ScriptLine[]): void {
  const ch = s.chapters[ci];
  if (!ch) return;
  const old = li === null ? ch.lines : ch.lines.slice(li, li + 1);
  const unused = [...old];
  const fresh = lines.map((l) => {
    const same = unused.findIndex((o) => o.speaker === l.speaker && o.text === l.text);
    if (same >= 0) return unused.splice(same, 1)[0];
    return { key: s.nextKey++, speaker: l.speaker, text: l.text, origin: null as LineRef | null };
  });
  // One line rewritten is still that line: it keeps its place in the saved
  // script, so it can be rewritten again.
  if (li !== null && fresh.length > 0 && unused.length === 1 && !old.includes(fresh[0])) {
    fresh[0] = { ...fresh[0], key: unused[0].key, origin: unused[0].origin };
  }
  if (li === null) ch.lines.splice(0, ch.lines.length, ...fresh);
  else ch.lines.splice(li, 1, ...fresh);
}

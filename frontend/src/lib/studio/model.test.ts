import { describe, expect, it } from 'vitest';
import { sampleScript } from '../testing/mockBackend';
import {
  deleteLine,
  findLine,
  fromDoc,
  insertLine,
  mergeChapter,
  moveChapterStart,
  moveLine,
  removeEmptyChapter,
  replaceLines,
  splitChapter,
  toDoc,
  type EditState,
} from './model';

// texts lists each chapter's title and lines as "Speaker: text", to compare whole scripts at a glance.
const texts = (s: EditState) => s.chapters.map((ch) => [ch.title, ...ch.lines.map((l) => `${l.speaker}: ${l.text}`)]);

describe('the edit state', () => {
  it('round-trips a saved script unchanged', () => {
    const doc = sampleScript();
    expect(toDoc(doc, fromDoc(doc))).toEqual(doc);
  });

  it('gives every line and chapter its own key and its place in the saved script', () => {
    const s = fromDoc(sampleScript());
    const keys = s.chapters.flatMap((ch) => [ch.key, ...ch.lines.map((l) => l.key)]);
    expect(new Set(keys).size).toBe(keys.length);
    expect(s.chapters[1].lines[1].origin).toEqual({ chapter: 1, line: 1 });
    expect(findLine(s, s.chapters[1].lines[1].key)).toEqual({ chapter: 1, line: 1 });
  });

  it('inserts an empty line for the other speaker, anywhere', () => {
    const s = fromDoc(sampleScript());
    const key = insertLine(s, 0, 1);
    expect(s.chapters[0].lines[1]).toEqual({ key, speaker: 'Sam', text: '', origin: null });
    insertLine(s, 1, 99, 'Alex');
    expect(s.chapters[1].lines.at(-1)?.speaker).toBe('Alex');
    expect(s.chapters[1].lines).toHaveLength(3);
  });

  it('deletes a line', () => {
    const s = fromDoc(sampleScript());
    deleteLine(s, 0, 0);
    expect(texts(s)[0]).toEqual(['Introduction', 'Sam: Rivers shape the land.']);
  });

  it('moves a line within its chapter and across chapter starts', () => {
    const s = fromDoc(sampleScript());
    expect(moveLine(s, 0, 0, 1)).toEqual({ chapter: 0, line: 1 });
    expect(texts(s)[0]).toEqual(['Introduction', 'Sam: Rivers shape the land.', 'Alex: Welcome.']);
    // Down from the last line of a chapter: the first line of the next.
    expect(moveLine(s, 0, 1, 1)).toEqual({ chapter: 1, line: 0 });
    expect(texts(s)).toEqual([
      ['Introduction', 'Sam: Rivers shape the land.'],
      ['Deltas', 'Alex: Welcome.', 'Alex: Deltas are fertile.', 'Sam: Goodbye.'],
    ]);
    // And back up.
    expect(moveLine(s, 1, 0, -1)).toEqual({ chapter: 0, line: 1 });
    expect(texts(s)[0]).toEqual(['Introduction', 'Sam: Rivers shape the land.', 'Alex: Welcome.']);
  });

  it('does not move the first line up or the last line down', () => {
    const s = fromDoc(sampleScript());
    const before = texts(s);
    expect(moveLine(s, 0, 0, -1)).toBeNull();
    expect(moveLine(s, 1, 1, 1)).toBeNull();
    expect(texts(s)).toEqual(before);
  });

  it('moves a chapter start earlier and later', () => {
    const s = fromDoc(sampleScript());
    expect(moveChapterStart(s, 1, -1)).toBe(true);
    expect(texts(s)).toEqual([
      ['Introduction', 'Alex: Welcome.'],
      ['Deltas', 'Sam: Rivers shape the land.', 'Alex: Deltas are fertile.', 'Sam: Goodbye.'],
    ]);
    expect(moveChapterStart(s, 1, 1)).toBe(true);
    expect(moveChapterStart(s, 1, 1)).toBe(true);
    expect(texts(s)).toEqual([
      ['Introduction', 'Alex: Welcome.', 'Sam: Rivers shape the land.', 'Alex: Deltas are fertile.'],
      ['Deltas', 'Sam: Goodbye.'],
    ]);
    expect(moveChapterStart(s, 0, -1)).toBe(false);
  });

  it('splits a chapter at a line and merges it back', () => {
    const doc = sampleScript();
    const s = fromDoc(doc);
    expect(splitChapter(s, 1, 0, 'Nope')).toBe(-1);
    expect(splitChapter(s, 1, 1, 'Farewell')).toBe(2);
    expect(texts(s)).toEqual([
      ['Introduction', 'Alex: Welcome.', 'Sam: Rivers shape the land.'],
      ['Deltas', 'Alex: Deltas are fertile.'],
      ['Farewell', 'Sam: Goodbye.'],
    ]);
    expect(s.chapters[2].origin).toBeNull();
    expect(mergeChapter(s, 2)).toBe(true);
    expect(toDoc(doc, s)).toEqual(doc);
    expect(mergeChapter(s, 0)).toBe(false);
  });

  it('removes a chapter only when it has no lines', () => {
    const s = fromDoc(sampleScript());
    expect(removeEmptyChapter(s, 1)).toBe(false);
    deleteLine(s, 1, 0);
    deleteLine(s, 1, 0);
    expect(removeEmptyChapter(s, 1)).toBe(true);
    expect(s.chapters).toHaveLength(1);
  });

  it('puts an accepted rewrite in place of a line, keeping its place in the saved script', () => {
    const s = fromDoc(sampleScript());
    const { key, origin } = s.chapters[0].lines[1];
    replaceLines(s, 0, 1, [{ speaker: 'Sam', text: 'Rivers carve valleys.' }]);
    expect(s.chapters[0].lines[1]).toEqual({ key, speaker: 'Sam', text: 'Rivers carve valleys.', origin });
  });

  it('puts an accepted rewrite in place of a chapter, keeping the lines it kept', () => {
    const s = fromDoc(sampleScript());
    const kept = s.chapters[1].lines[1];
    replaceLines(s, 1, null, [
      { speaker: 'Alex', text: 'Deltas feed millions.' },
      { speaker: 'Sam', text: 'Goodbye.' },
    ]);
    expect(texts(s)[1]).toEqual(['Deltas', 'Alex: Deltas feed millions.', 'Sam: Goodbye.']);
    expect(s.chapters[1].lines[0].origin).toBeNull();
    expect(s.chapters[1].lines[1]).toBe(kept);
  });
});

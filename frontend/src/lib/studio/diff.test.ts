import { describe, expect, it } from 'vitest';
import { sampleScript } from '../testing/mockBackend';
import { isDirty, lineChange, revoiceEstimate } from './diff';
import { fromDoc, insertLine, moveLine, splitChapter } from './model';

describe('what the edits change', () => {
  it('is clean until something that would be saved changes', () => {
    const base = sampleScript();
    const s = fromDoc(base);
    expect(isDirty(base, s)).toBe(false);
    s.chapters[0].lines[0].text = 'Welcome!';
    expect(isDirty(base, s)).toBe(true);
    s.chapters[0].lines[0].text = 'Welcome.';
    expect(isDirty(base, s)).toBe(false);
    s.speakers[0].speed = 1.1;
    expect(isDirty(base, s)).toBe(true);
  });

  it('sees a split chapter and a moved line as changes', () => {
    const base = sampleScript();
    const s = fromDoc(base);
    splitChapter(s, 0, 1, 'More');
    expect(isDirty(base, s)).toBe(true);
    const t = fromDoc(base);
    moveLine(t, 0, 0, 1);
    expect(isDirty(base, t)).toBe(true);
  });

  it('tells each line new, edited, moved or the same', () => {
    const base = sampleScript();
    const s = fromDoc(base);
    s.chapters[0].lines[1].text = 'Rivers carve the land.';
    moveLine(s, 1, 0, 1);
    insertLine(s, 0, 0);
    const at = (ci: number, li: number) => lineChange(base, s.chapters[ci].lines[li], ci, li);
    expect([at(0, 0), at(0, 1), at(0, 2), at(1, 0), at(1, 1)]).toEqual(['new', 'moved', 'edited', 'moved', 'moved']);
  });

  it('estimates one line to re-voice for a one-line edit, none for moves and spacing', () => {
    const base = sampleScript();
    const s = fromDoc(base);
    expect(revoiceEstimate(base, s)).toEqual({ revoice: 0, reuse: 4 });
    s.chapters[1].lines[0].text = 'Deltas are  fertile. ';
    moveLine(s, 0, 0, 1);
    expect(revoiceEstimate(base, s)).toEqual({ revoice: 0, reuse: 4 });
    s.chapters[0].lines[0].text = 'Rivers carve the land.';
    expect(revoiceEstimate(base, s)).toEqual({ revoice: 1, reuse: 3 });
  });

  it('estimates every line of a speaker whose voice or speed changed', () => {
    const base = sampleScript();
    const s = fromDoc(base);
    s.speakers[1].voice = 'en-gb+f4';
    expect(revoiceEstimate(base, s)).toEqual({ revoice: 2, reuse: 2 });
    // A line handed to the other speaker sounds different too.
    const t = fromDoc(base);
    t.chapters[0].lines[0].speaker = 'Sam';
    expect(revoiceEstimate(base, t)).toEqual({ revoice: 1, reuse: 3 });
  });
});

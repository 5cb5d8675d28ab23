import { describe, expect, it } from 'vitest';
import { sampleScript } from '../testing/mockBackend';
import { parseFieldPath, pathNow, pin } from './fieldPath';
import { deleteLine, fromDoc, insertLine, moveLine } from './model';

describe('field paths', () => {
  it.each([
    ['chapters[2].lines[5].text', { kind: 'line', chapter: 2, line: 5, prop: 'text' }],
    ['chapters[0].lines[1].speaker', { kind: 'line', chapter: 0, line: 1, prop: 'speaker' }],
    ['chapters[0].lines[1]', { kind: 'line', chapter: 0, line: 1, prop: '' }],
    ['chapters[3].title', { kind: 'chapter', chapter: 3, prop: 'title' }],
    ['chapters[3]', { kind: 'chapter', chapter: 3, prop: '' }],
    ['speakers[1].voice', { kind: 'speaker', speaker: 1, prop: 'voice' }],
    ['chapters', { kind: 'script', field: 'chapters' }],
    ['chapters[x].lines[1].text', { kind: 'script', field: 'chapters[x].lines[1].text' }],
    ['', { kind: 'script', field: '' }],
  ])('%s', (field, want) => {
    expect(parseFieldPath(field)).toEqual(want);
  });

  it('keeps a server problem at its line after lines move around it', () => {
    const s = fromDoc(sampleScript());
    const p = pin(s, 'chapters[1].lines[1].text', 'contains markup');
    expect(pathNow(s, p)).toBe('chapters[1].lines[1].text');
    insertLine(s, 1, 0);
    expect(pathNow(s, p)).toBe('chapters[1].lines[2].text');
    moveLine(s, 1, 2, -1);
    moveLine(s, 1, 1, -1);
    moveLine(s, 1, 0, -1);
    expect(pathNow(s, p)).toBe('chapters[0].lines[2].text');
    deleteLine(s, 0, 2);
    expect(pathNow(s, p)).toBe('');
  });

  it('pins chapters by key, speakers by index and anything else to the script', () => {
    const s = fromDoc(sampleScript());
    const ch = pin(s, 'chapters[1].title', 'too long');
    s.chapters.unshift({ key: 999, title: 'Before', origin: null, lines: [] });
    expect(pathNow(s, ch)).toBe('chapters[2].title');
    expect(pathNow(s, pin(s, 'speakers[1].speed', 'too fast'))).toBe('speakers[1].speed');
    expect(pathNow(s, pin(s, 'chapters[9].lines[0].text', 'gone'))).toBe('');
    expect(pin(s, 'language', 'unknown').anchor).toEqual({ kind: 'script' });
  });
});

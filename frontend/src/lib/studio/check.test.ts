import { describe, expect, it } from 'vitest';
import { sampleScript } from '../testing/mockBackend';
import { checkScript, textProblems } from './check';
import { fromDoc, insertLine } from './model';

describe('checkScript', () => {
  it('finds nothing in a clean script', () => {
    expect(checkScript(fromDoc(sampleScript()))).toEqual([]);
  });

  it('puts an unknown speaker, an empty line and a bad speed at their fields', () => {
    const s = fromDoc(sampleScript());
    s.chapters[0].lines[1].speaker = 'Robin';
    s.chapters[1].lines[0].text = '   ';
    s.speakers[1].speed = 3;
    // No voice is the speech engine's own: not a problem.
    s.speakers[0].voice = '';
    const got = checkScript(s);
    expect(got.map((p) => [p.field, p.hint ?? false])).toEqual([
      ['speakers[1].speed', false],
      ['chapters[0].lines[1].speaker', false],
      ['chapters[1].lines[0].text', false],
    ]);
    expect(got[1].message).toContain('Robin');
  });

  it('knows speakers whatever their case', () => {
    const s = fromDoc(sampleScript());
    s.chapters[0].lines[0].speaker = 'alex';
    expect(checkScript(s)).toEqual([]);
  });

  it('marks the speakable-text rules as hints only', () => {
    const s = fromDoc(sampleScript());
    s.chapters[0].lines[0].text = 'Welcome *laughs* to the show.';
    expect(checkScript(s)).toEqual([{ field: 'chapters[0].lines[0].text', message: expect.stringContaining('asterisks'), hint: true }]);
  });

  it('finds an empty chapter and a script without lines', () => {
    const s = fromDoc(sampleScript());
    s.chapters[1].lines = [];
    expect(checkScript(s).map((p) => p.field)).toEqual(['chapters[1].lines']);
    s.chapters[0].lines = [];
    expect(checkScript(s).map((p) => p.field)).toEqual(['chapters']);
    insertLine(s, 0, 0);
    expect(checkScript(s).map((p) => p.field)).toEqual(['chapters[0].lines[0].text', 'chapters[1].lines']);
  });
});

describe('textProblems mirrors the server’s speakable-text rules', () => {
  it.each([
    ['<break time="1s"/> Hello', 'tag'],
    ['Hello [music]', 'square brackets'],
    ['(laughs) That is funny.', 'stage direction'],
    ['See #rivers for more.', 'hash'],
    ['- first point', 'list bullet'],
    ['Run `ls` now.', 'backticks'],
    ['Read it at https://example.com/page today.', 'web address'],
    ['Rivers &amp; lakes.', 'HTML entity'],
    ['Host: welcome back.', 'label'],
    ['Sam: welcome back.', 'label'],
    ['?!', 'nothing to say'],
    ['Hello\u0007 there.', 'control'],
  ])('%s', (text, want) => {
    expect(textProblems(text, ['Alex', 'Sam']).join(' ')).toContain(want);
  });

  it('lets ordinary sentences, brackets that are not directions and times pass', () => {
    for (const t of ['It was 3:30 when we met (in Paris).', 'Deltas are fertile.', 'Alex said: it works.']) expect(textProblems(t, ['Alex', 'Sam'])).toEqual([]);
  });
});

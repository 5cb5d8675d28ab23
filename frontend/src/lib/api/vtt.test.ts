import { describe, expect, it } from 'vitest';
import { chapterSpans, parseVTT } from './vtt';

describe('parseVTT', () => {
  it('reads cues with voice tags and escapes as audio.WriteVTT writes them', () => {
    const text =
      'WEBVTT\n\n00:00:00.000 --> 00:00:02.500\n<v Alex>Hello &amp; welcome &lt;all&gt;\n\n' +
      '00:01:02.250 --> 01:00:03.000\n<v Sam O&amp;Neil>Second\n\n00:00:05.000 --> 00:00:06.000\nNo speaker\n';
    expect(parseVTT(text)).toEqual([
      { index: 0, speaker: 'Alex', text: 'Hello & welcome <all>', start: 0, end: 2.5 },
      { index: 1, speaker: 'Sam O&Neil', text: 'Second', start: 62.25, end: 3603 },
      { index: 2, speaker: '', text: 'No speaker', start: 5, end: 6 },
    ]);
  });

  it('skips malformed cues', () => {
    expect(parseVTT('WEBVTT\n\nxx --> yy\n<v A>bad\n\nnote\n')).toEqual([]);
  });
});

describe('chapterSpans', () => {
  it('ends each chapter at the next one and the last at the duration', () => {
    expect(chapterSpans([{ title: 'A', start: 0 }, { title: 'B', start: 10 }], 30)).toEqual([
      { index: 0, title: 'A', start: 0, end: 10 },
      { index: 1, title: 'B', start: 10, end: 30 },
    ]);
  });
});

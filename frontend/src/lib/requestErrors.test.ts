import { describe, expect, it } from 'vitest';
import { placeOf } from './requestErrors';

describe('placeOf', () => {
  it.each([
    ['invalid request: the source text is empty', 'text'],
    ['Invalid request: the source text is 3.0 MB; the limit is 2.0 MB', 'text'],
    ['invalid request: the title is longer than 200 characters', 'title'],
    ['invalid request: template "nope": template not found', 'template'],
    ['invalid request: length must be between 0.5 and 120 minutes, not 500', 'minutes'],
    ['invalid request: focus instructions are longer than 4000 characters', 'focus'],
    ['invalid request: unknown writer "gpt" (use auto, ollama or extractive)', 'writer'],
    ['invalid request: invalid voice for speaker "Sam"', 'voice:Sam'],
    ['invalid request: template "deep-dive" has no speaker "Bob"', 'template'],
    ['invalid request: source 2 has no URL', 'sources'],
    ['invalid request: at most 10 sources per podcast', 'sources'],
    ['the disk is full', ''],
  ])('%s → %s', (msg, want) => {
    expect(placeOf(msg)).toBe(want);
  });
});

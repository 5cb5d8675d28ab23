import { describe, expect, it } from 'vitest';
import { sampleTemplate } from './testing/mockBackend';
import { validateTemplate } from './validate';

describe('validateTemplate', () => {
  it('accepts a valid template', () => {
    expect(validateTemplate(sampleTemplate())).toEqual([]);
  });

  it.each([
    { name: 'bad id', over: { id: 'Deep Dive' }, field: 'id' },
    { name: 'empty name', over: { name: ' ' }, field: 'name' },
    { name: 'no instructions', over: { llmPromptInstructions: '' }, field: 'llmPromptInstructions' },
    { name: 'no speakers', over: { speakers: [] }, field: 'speakers' },
    {
      name: 'duplicate speaker',
      over: { speakers: [{ name: 'Alex', role: 'a', voices: {} }, { name: 'alex', role: 'b', voices: {} }] },
      field: 'speakers[1].name',
    },
    { name: 'colon in a name', over: { speakers: [{ name: 'A:B', role: 'a', voices: {} }] }, field: 'speakers[0].name' },
    { name: 'unknown provider', over: { speakers: [{ name: 'A', role: 'a', voices: { google: 'x' } }] }, field: 'speakers[0].voices.google' },
    { name: 'slow speaker', over: { speakers: [{ name: 'A', role: 'a', voices: {}, wordsPerMinute: 20 }] }, field: 'speakers[0].wordsPerMinute' },
    { name: 'no structure', over: { structure: [] }, field: 'structure' },
    { name: 'empty section', over: { structure: ['Intro', ''] }, field: 'structure[1]' },
    { name: 'zero minutes', over: { minutes: 0 }, field: 'minutes' },
    { name: 'too long', over: { minutes: 121 }, field: 'minutes' },
    { name: 'bad language', over: { language: 'english' }, field: 'language' },
  ])('$name', ({ over, field }) => {
    expect(validateTemplate(sampleTemplate(over)).map((p) => p.field)).toContain(field);
  });
});

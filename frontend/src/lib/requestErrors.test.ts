import { describe, expect, it } from 'vitest';
import { requestField } from './requestErrors';

describe('requestField', () => {
  it.each([
    ['text', 'text'],
    ['title', 'title'],
    ['template', 'template'],
    ['templateId', 'template'],
    ['minutes', 'minutes'],
    ['language', 'language'],
    ['focus', 'focus'],
    ['writer', 'writer'],
    ['tts', 'tts'],
    ['voices.Sam', 'voice:Sam'],
    ['voices[Sam Smith]', 'voice:Sam Smith'],
    ['voices["Sam"]', 'voice:Sam'],
    ['sources', 'sources'],
    ['sources[2].url', 'sources'],
    ['url', 'sources'],
    ['file', 'sources'],
    ['voices', 'voices'],
    ['owner', ''],
    ['constructor', ''],
    ['', ''],
  ])('%s → %s', (key, want) => {
    expect(requestField(key)).toBe(want);
  });
});

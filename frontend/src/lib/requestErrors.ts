// Where a refused generate request's error belongs on the new-podcast form.
// The backend names the input at fault (core's Field* names: "minutes",
// "template", "voices", "sources"; a speaker's voice as "voices.Sam" where
// it says which); this maps those names to the form's fields. Messages are
// never read.

/** The fields of the new-podcast form an error may concern. */
export type RequestField = 'text' | 'title' | 'template' | 'minutes' | 'language' | 'focus' | 'writer' | 'tts' | 'sources' | 'voices' | `voice:${string}` | '';

// The form field of each top-level request key. An upload's form parts
// (file, audio, url) are the form's sources.
const byKey: Record<string, RequestField> = {
  text: 'text',
  title: 'title',
  template: 'template',
  templateId: 'template',
  minutes: 'minutes',
  language: 'language',
  focus: 'focus',
  writer: 'writer',
  tts: 'tts',
  voices: 'voices',
  sources: 'sources',
  file: 'sources',
  audio: 'sources',
  url: 'sources',
};

/** The form field a request key concerns, or "" when none fits. */
export function requestField(key: string): RequestField {
  // A speaker's voice: voices.Sam, voices[Sam] or voices["Sam"].
  const voice = /^voices(?:\.(.+)|\["?(.+?)"?\])$/.exec(key);
  if (voice) return `voice:${voice[1] ?? voice[2]}`;
  const top = key.split(/[.[]/, 1)[0];
  return Object.hasOwn(byKey, top) ? byKey[top] : '';
}

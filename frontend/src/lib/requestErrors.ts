// Where a refused generate request's error belongs on the new-podcast form.
// The backend names the input at fault by the request's own key ("minutes",
// "templateId", "voices.Sam", "sources[2].url"); this maps those keys to the
// form's fields. Messages are never read.

/** The fields of the new-podcast form an error may concern. */
export type RequestField = 'text' | 'title' | 'template' | 'minutes' | 'language' | 'focus' | 'writer' | 'tts' | 'sources' | `voice:${string}` | '';

// The form field of each top-level request key. An upload's form parts
// (file, audio, url) are the form's sources.
const byKey: Record<string, RequestField> = {
  text: 'text',
  title: 'title',
  templateId: 'template',
  minutes: 'minutes',
  language: 'language',
  focus: 'focus',
  writer: 'writer',
  tts: 'tts',
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

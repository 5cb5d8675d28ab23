// Where a refused generate request's error belongs on the new-podcast form.
// The backend (core.Service) names what is wrong in words; these patterns
// map those words to the form's fields so the message shows at the field.

/** The fields of the new-podcast form an error may concern. */
export type RequestField = 'text' | 'title' | 'template' | 'minutes' | 'language' | 'focus' | 'writer' | 'tts' | 'sources' | `voice:${string}` | '';

const places: [RegExp, RequestField][] = [
  [/\bsource text\b/i, 'text'],
  [/\btitle\b/i, 'title'],
  [/\blength must be\b|\bminutes\b/i, 'minutes'],
  [/\bfocus\b/i, 'focus'],
  [/\bunknown writer\b|\bwriter\b.*\b(auto|ollama|extractive)\b/i, 'writer'],
  [/\blanguage\b/i, 'language'],
  [/\bsources?\b \d|\bsources per podcast\b/i, 'sources'],
  [/\btts provider\b|\bunknown (speech|tts)\b/i, 'tts'],
  [/\btemplate\b/i, 'template'],
];

/** The form field a backend message concerns, or "" when none fits. */
export function placeOf(message: string): RequestField {
  const voice = /\bvoice for speaker "([^"]+)"/i.exec(message);
  if (voice) return `voice:${voice[1]}`;
  for (const [pattern, field] of places) {
    if (pattern.test(message)) return field;
  }
  return '';
}

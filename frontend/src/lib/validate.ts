// Checks a template in the browser the way backend/template/validate.go
// does, so that a form can show problems at their fields as the user types.
// The backend checks again on save; its answer wins.

import type { FieldProblem, Template } from './api/types';
import { ttsProviders } from './api/types';

const idPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const languagePattern = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;
// eslint-disable-next-line no-control-regex
const control = /[\u0000-\u001f\u007f]/;

/** Every problem of t, each at its field path ("speakers[1].name"). */
export function validateTemplate(t: Template): FieldProblem[] {
  const out: FieldProblem[] = [];
  const bad = (field: string, message: string) => out.push({ field, message });
  const line = (field: string, v: string, max: number) => {
    if (v.trim() === '') bad(field, 'must not be empty');
    else if (new TextEncoder().encode(v).length > max) bad(field, `is longer than ${max} bytes`);
    else if (control.test(v)) bad(field, 'must be one line without control characters');
  };

  if (t.id.length === 0 || t.id.length > 64 || !idPattern.test(t.id)) {
    bad('id', 'use 1–64 lower-case letters, digits and hyphens, like deep-dive');
  }
  line('name', t.name, 80);
  if (t.description.length > 2000) bad('description', 'is longer than 2000 bytes');
  if (t.llmPromptInstructions.trim() === '') bad('llmPromptInstructions', 'must not be empty');
  if (t.speakers.length < 1 || t.speakers.length > 4) {
    bad('speakers', `has ${t.speakers.length} speakers; a template needs 1 to 4`);
  }
  const seen = new Set<string>();
  t.speakers.forEach((sp, i) => {
    const p = `speakers[${i}]`;
    line(`${p}.name`, sp.name, 40);
    if (/[:[\]]/.test(sp.name)) bad(`${p}.name`, "must not contain ':', '[' or ']'");
    const key = sp.name.trim().toLowerCase();
    if (key !== '' && seen.has(key)) bad(`${p}.name`, `"${sp.name}" is used by another speaker`);
    seen.add(key);
    line(`${p}.role`, sp.role, 200);
    for (const [provider, voice] of Object.entries(sp.voices ?? {})) {
      if (!(ttsProviders as readonly string[]).includes(provider)) {
        bad(`${p}.voices.${provider}`, `unknown TTS provider "${provider}"`);
      } else if (voice.trim() !== '') {
        line(`${p}.voices.${provider}`, voice, 200);
      }
    }
    const w = sp.wordsPerMinute ?? 0;
    if (w !== 0 && (w < 60 || w > 300)) bad(`${p}.wordsPerMinute`, `${w} is out of range (60 to 300, or 0 for the default)`);
  });
  if (t.structure.length < 1 || t.structure.length > 20) {
    bad('structure', `has ${t.structure.length} sections; a template needs 1 to 20`);
  }
  t.structure.forEach((s, i) => line(`structure[${i}]`, s, 200));
  if (!(t.minutes > 0 && t.minutes <= 120)) bad('minutes', `${t.minutes} is out of range (more than 0, at most 120)`);
  if (t.language.length > 35 || !languagePattern.test(t.language)) {
    bad('language', `"${t.language}" is not a language code like en or en-GB`);
  }
  return out;
}

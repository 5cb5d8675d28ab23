// Checks the script in the browser as the user types, with the rules the
// server applies on save (backend/script/validate.go and markup.go): every
// line has a known speaker and some text, and nothing a voice would read
// aloud as markup. These are hints shown at the line; the server checks
// again and its answer wins (its field errors are shown at the line too).

import type { FieldProblem } from '../api/types';
import type { EditState } from './model';
import { chapterPath, linePath, speakerPath } from './fieldPath';

// Each rule mirrors one of markupRules in backend/script/markup.go; the
// messages say how to fix the text.
const markupRules: { re: RegExp; why: (m: string) => string }[] = [
  {
    re: /<\/?[A-Za-z][\w:.-]*(\s+[\w:.-]+(\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?)*\s*\/?>/,
    why: (m) => `contains the tag “${m}”: tags are read aloud, write plain words`,
  },
  { re: /\*+[^*]*\*+|\*/, why: (m) => `contains asterisks “${m}”: write plain words, no actions` },
  { re: /\[[^\]]*\]?/, why: (m) => `contains square brackets “${m}”: leave stage directions and cues out` },
  {
    re: /\(\s*(laugh\w*|chuckl\w*|giggl\w*|sigh\w*|paus\w*|beat|music|intro music|outro music|theme music|applause|cough\w*|clears? (his |her |their )?throat|smil\w*|grin\w*|nod\w*|whisper\w*|shout\w*|gasp\w*|inhal\w*|exhal\w*|sound effects?|sfx|jingle|transition|fades? (in|out)|music fades?|excitedly|enthusiastically|sarcastically|thoughtfully|cheerfully|seriously)\b[^)]*\)/i,
    why: (m) => `contains the stage direction “${m}”: the voice would read it aloud, leave it out`,
  },
  { re: /#+\S*/, why: (m) => `contains “${m}”: a # is read aloud as “hash”, write plain words` },
  { re: /^\s*[-•]\s+\S*/m, why: (m) => `starts with a list bullet “${m.trim()}”: write full sentences` },
  { re: /`+[^`]*`*/, why: (m) => `contains backticks “${m}”: write plain words` },
  { re: /[{}]/, why: (m) => `contains curly braces “${m}”: write plain words` },
  { re: /_{2,}[^_]*_*/, why: (m) => `contains underscores “${m}”: write plain words` },
  { re: /\bhttps?:\/\/\S+|\bwww\.\S+/i, why: (m) => `contains the web address “${m}”, which a voice reads character by character: name the site instead` },
  { re: /&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z]+);/, why: (m) => `contains the HTML entity “${m}”: write the character itself` },
];

const genericLabel = /(^|[\n.!?]\s*)((co-?)?host|guest|speaker\s*\d*|narrator|interviewer|interviewee|moderator|person\s*[a-z0-9])\s*\d*\s*:(\s|$)/i;
// eslint-disable-next-line no-control-regex
const controlChars = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/;
const speakable = /[\p{L}\p{N}]/u;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const short = (s: string) => (s.length <= 40 ? s : `${s.slice(0, 40)}…`);

/** The speed range a speaker's voice may be set to. */
export const minSpeed = 0.5;
export const maxSpeed = 2;

/** Why text cannot be spoken as it is, for a show with these speakers ([] when it can). */
export function textProblems(text: string, speakers: string[]): string[] {
  if (text.trim() === '') return ['is empty: write what is said, or delete the line'];
  const out: string[] = [];
  if (!speakable.test(text)) out.push('has nothing to say aloud');
  if (controlChars.test(text)) out.push('contains control or invalid characters');
  for (const r of markupRules) {
    const m = r.re.exec(text);
    if (m) out.push(r.why(short(m[0])));
  }
  if (text.includes(':')) {
    let label = genericLabel.exec(text);
    for (const name of speakers) {
      if (label || name.trim() === '') continue;
      label = new RegExp(`(^|[\\n.!?]\\s*)(${escapeRe(name.trim())})\\s*:(\\s|$)`, 'i').exec(text);
    }
    if (label) out.push(`contains the label “${label[2].trim()}:”: choose the speaker in the list, not in the text`);
  }
  return out;
}

/**
 * A problem at a field. A hint is the browser's reading of a rule the
 * server enforces with more care (the speakable-text rules): it is shown
 * but does not keep the script from being sent.
 */
export interface Check extends FieldProblem {
  hint?: boolean;
}

/** Every problem the browser can see, each at its field path ("chapters[0].lines[2].text"). */
export function checkScript(s: EditState): Check[] {
  const out: Check[] = [];
  const names = s.speakers.map((sp) => sp.name);
  const known = new Set(names.map((n) => n.trim().toLowerCase()));
  s.speakers.forEach((sp, i) => {
    if (!(sp.speed >= minSpeed && sp.speed <= maxSpeed)) {
      out.push({ field: speakerPath(i, 'speed'), message: `must be from ${minSpeed} to ${maxSpeed}` });
    }
  });
  const total = s.chapters.reduce((n, ch) => n + ch.lines.length, 0);
  if (total === 0) out.push({ field: 'chapters', message: 'the script has no lines: add at least one' });
  s.chapters.forEach((ch, ci) => {
    if (ch.title.trim() === '') out.push({ field: chapterPath(ci, 'title'), message: 'give the chapter a title', hint: true });
    if (ch.lines.length === 0 && total > 0) out.push({ field: chapterPath(ci, 'lines'), message: 'has no lines: add one, or remove the chapter' });
    ch.lines.forEach((l, li) => {
      const who = l.speaker.trim().toLowerCase();
      if (who === '') out.push({ field: linePath(ci, li, 'speaker'), message: 'choose who says this line' });
      else if (!known.has(who)) out.push({ field: linePath(ci, li, 'speaker'), message: `“${short(l.speaker)}” is not a speaker of this episode` });
      if (l.text.trim() === '') out.push({ field: linePath(ci, li, 'text'), message: 'is empty: write what is said, or delete the line' });
      else for (const m of textProblems(l.text, names)) out.push({ field: linePath(ci, li, 'text'), message: m, hint: true });
    });
  });
  return out;
}

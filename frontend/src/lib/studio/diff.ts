// What the edits change compared with the saved script: whether there is
// anything to save, how each line differs from where it came from, and an
// estimate of how many lines a save would voice again. The server decides
// what it re-voices (its segment cache is keyed by the spoken text, the
// voice and its settings); the estimate mirrors that rule so the button can
// say what a save will cost before it is pressed.

import type { ScriptDoc } from '../api/studio';
import { toDoc, type EditLine, type EditState } from './model';

/** How a line differs from the saved script. */
export type LineChange = 'same' | 'edited' | 'moved' | 'new';

/** Reports whether the edits differ from base in anything that would be saved. */
export function isDirty(base: ScriptDoc, s: EditState): boolean {
  return JSON.stringify(toDoc(base, s)) !== JSON.stringify(base);
}

/** How line l, now at chapter ci and line li, differs from the saved script. */
export function lineChange(base: ScriptDoc, l: EditLine, ci: number, li: number): LineChange {
  if (!l.origin) return 'new';
  const was = base.chapters[l.origin.chapter]?.lines[l.origin.line];
  if (!was || was.text !== l.text || was.speaker !== l.speaker) return 'edited';
  return l.origin.chapter === ci && l.origin.line === li ? 'same' : 'moved';
}

// The server speaks text with its whitespace collapsed, so spacing alone
// changes no segment.
const spoken = (t: string) => t.trim().split(/\s+/).join(' ');

// segmentKey is what the server's cache tells segments apart by, as far as
// the browser can know it: the text, and the voice and speed of its speaker.
function segmentKey(text: string, speaker: string, speakers: { name: string; voice: string; speed: number }[]): string {
  const sp = speakers.find((s) => s.name.toLowerCase() === speaker.trim().toLowerCase());
  return JSON.stringify([spoken(text), sp?.voice ?? '', sp?.speed ?? 1]);
}

/** How many lines a save would voice again and how many it would reuse. */
export function revoiceEstimate(base: ScriptDoc, s: EditState): { revoice: number; reuse: number } {
  const have = new Set<string>();
  for (const ch of base.chapters) for (const l of ch.lines) have.add(segmentKey(l.text, l.speaker, base.speakers));
  let revoice = 0;
  let reuse = 0;
  for (const ch of s.chapters) {
    for (const l of ch.lines) {
      if (have.has(segmentKey(l.text, l.speaker, s.speakers))) reuse++;
      else revoice++;
    }
  }
  return { revoice, reuse };
}

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Events } from './events';

const goFile = resolve(import.meta.dirname, '../../../../backend/events/events.go');

// goEventNames reads the string constants of the const block that follows the
// "Event names" comment in events.go, so an added, renamed or re-valued Go
// constant makes the comparison below fail.
function goEventNames(source: string): Record<string, string> {
  const block = /\/\/ Event names[^\n]*\n(?:\/\/[^\n]*\n)*const \(\n([\s\S]*?)\n\)/.exec(source);
  if (!block) {
    throw new Error(`no "Event names" const block in ${goFile}`);
  }
  const names: Record<string, string> = {};
  for (const line of block[1].split('\n')) {
    const m = /^\s*([A-Z]\w*)\s*=\s*"([^"]*)"/.exec(line);
    if (m) {
      names[m[1]] = m[2];
    }
  }
  return names;
}

describe('Events', () => {
  it('mirrors every event name constant in backend/events/events.go', () => {
    const fromGo = goEventNames(readFileSync(goFile, 'utf8'));
    expect(Object.keys(fromGo).length).toBeGreaterThan(0);
    expect({ ...Events }).toEqual(fromGo);
  });

  it('has no two constants sharing one event name', () => {
    const values = Object.values(Events);
    expect(new Set(values).size).toBe(values.length);
  });
});

import { describe, expect, it } from 'vitest';
import { bytes, clock, count, duration, eta } from './format';

describe('format', () => {
  it.each([
    [0, '0:00'],
    [61.9, '1:01'],
    [3600 + 62, '1:01:02'],
    [NaN, '0:00'],
  ])('clock(%s) = %s', (s, want) => expect(clock(s)).toBe(want));

  it.each([
    [0, '—'],
    [42, '42 s'],
    [600, '10 min'],
    [3900, '1 h 5 min'],
  ])('duration(%s) = %s', (s, want) => expect(duration(s)).toBe(want));

  it.each([
    [undefined, ''],
    [0, ''],
    [0.2, 'about 1 s left'],
    [150, 'about 3 min left'],
  ])('eta(%s) = %s', (s, want) => expect(eta(s)).toBe(want));

  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [2e9, '2.0 GB'],
  ])('bytes(%s) = %s', (n, want) => expect(bytes(n)).toBe(want));

  it.each([
    [0, '0'],
    [104, '104'],
    [10000, '10,000'],
    [1234567, '1,234,567'],
  ])('count(%s) = %s', (n, want) => expect(count(n)).toBe(want));
});

import { describe, expect, it } from 'vitest';
import { addItems, maxSources, pageUrlProblem, pickedItem, requestSources, uploadItem, urlItem } from './sources';

describe('pageUrlProblem', () => {
  it.each([
    ['https://example.org/rivers', ''],
    ['  http://192.168.1.5:8080/notes  ', ''],
    ['', 'Type the address'],
    ['example.org', 'not a web address'],
    ['ftp://example.org/file', 'Only web pages'],
    ['file:///etc/passwd', 'Only web pages'],
    ['javascript:alert(1)', 'Only web pages'],
    [`https://example.org/${'a'.repeat(2100)}`, 'too long'],
  ])('%s', (text, want) => {
    const got = pageUrlProblem(text);
    if (want) expect(got).toContain(want);
    else expect(got).toBe('');
  });
});

describe('items', () => {
  it('tells recordings from documents by type or name', () => {
    expect(uploadItem(new File(['x'], 'talk.MP3')).kind).toBe('audio');
    expect(uploadItem(new File(['x'], 'voice', { type: 'audio/webm' })).kind).toBe('audio');
    expect(uploadItem(new File(['x'], 'notes.pdf', { type: 'application/pdf' })).kind).toBe('file');
  });

  it('adds each source once and no more than the limit', () => {
    const a = pickedItem({ token: 't1', name: 'a.md', kind: 'file', size: 3 });
    let r = addItems([], [a, a, urlItem('https://e.org/ ')]);
    expect(r.items.map((i) => i.name)).toEqual(['a.md', 'https://e.org/']);
    expect(r.problem).toBe('');
    r = addItems(r.items, [urlItem('https://e.org/')]);
    expect(r.items).toHaveLength(2);
    const many = Array.from({ length: maxSources }, (_, i) => urlItem(`https://e.org/${i}`));
    r = addItems(r.items, many);
    expect(r.items).toHaveLength(maxSources);
    expect(r.problem).toContain('2 were not added');
  });

  it('become tokens, pages and uploads of the request', () => {
    const f = new File(['x'], 'talk.wav', { type: 'audio/wav' });
    const { sources, files } = requestSources([
      pickedItem({ token: 't1', name: 'a.md', kind: 'file', size: 3 }),
      uploadItem(f),
      urlItem('https://e.org/p'),
    ]);
    expect(sources).toEqual([{ token: 't1' }, { url: 'https://e.org/p' }]);
    expect(files).toEqual([{ file: f, kind: 'audio' }]);
  });
});

import { describe, expect, it } from 'vitest';
import { EventStreamParser } from './sse';

describe('EventStreamParser', () => {
  it('parses events split across chunks, skipping comments', () => {
    const p = new EventStreamParser();
    expect(p.push('event: progress\ndata: {"a"')).toEqual([]);
    expect(p.push(':1}\n\n: ping\n\nevent: done\r\ndata: {}\r\n\r\n')).toEqual([
      { event: 'progress', data: '{"a":1}' },
      { event: 'done', data: '{}' },
    ]);
  });

  it('joins data lines and defaults the event name', () => {
    expect(new EventStreamParser().push('data: a\ndata:b\n\n')).toEqual([{ event: 'message', data: 'a\nb' }]);
  });

  it('keeps an unfinished event for later', () => {
    const p = new EventStreamParser();
    expect(p.push('event: x\ndata: 1\n')).toEqual([]);
    expect(p.push('\n')).toEqual([{ event: 'x', data: '1' }]);
  });
});

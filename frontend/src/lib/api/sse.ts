// A reader of text/event-stream bodies. EventSource cannot send the
// Authorization header the LAN API needs, so http.ts reads the stream with
// fetch and hands the body's text to this parser.

/** One server-sent event. */
export interface ServerEvent {
  event: string;
  data: string;
}

/**
 * Splits the text of an event stream into events. Feed it chunks as they
 * come; it keeps an unfinished event until its blank line arrives. Comment
 * lines (": ping") are dropped; data lines of one event are joined by "\n".
 */
export class EventStreamParser {
  private buf = '';

  push(chunk: string): ServerEvent[] {
    this.buf += chunk.replace(/\r\n?/g, '\n');
    const out: ServerEvent[] = [];
    let i: number;
    while ((i = this.buf.indexOf('\n\n')) >= 0) {
      const block = this.buf.slice(0, i);
      this.buf = this.buf.slice(i + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line === '' || line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length > 0) {
        out.push({ event, data: data.join('\n') });
      }
    }
    return out;
  }
}

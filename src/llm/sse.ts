/**
 * A small Server-Sent Events reader (the part of the WHATWG spec that chat-completion
 * streams use): lines end in LF, CRLF or CR, possibly split across chunks anywhere;
 * `data:` lines accumulate until a blank line dispatches them; `:` comments
 * (keep-alives), `event:`, `id:` and `retry:` lines are ignored.
 */
export class SseReader {
  private buffer = '';
  private data: string[] = [];
  /** The last chunk ended in CR: a LF starting the next one belongs to it. */
  private skipLf = false;

  /** Text in (already decoded), complete events' data out. */
  push(text: string): string[] {
    let chunk = text;
    if (this.skipLf && chunk.startsWith('\n')) chunk = chunk.slice(1);
    this.skipLf = false;
    this.buffer += chunk;
    const events: string[] = [];
    for (;;) {
      const end = this.buffer.search(/\r\n|\r|\n/);
      if (end < 0) break;
      let next = end + 1;
      if (this.buffer[end] === '\r') {
        if (this.buffer[end + 1] === '\n') next = end + 2;
        else if (end + 1 === this.buffer.length) this.skipLf = true;
      }
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(next);
      this.line(line, events);
    }
    return events;
  }

  /**
   * At end of stream: an event whose blank line never came. The spec discards it;
   * callers decide (a complete `[DONE]` or JSON object is worth keeping, a torn one is not).
   */
  end(): string | undefined {
    if (this.buffer) this.line(this.buffer, []);
    this.buffer = '';
    const pending = this.data.length > 0 ? this.data.join('\n') : undefined;
    this.data = [];
    return pending;
  }

  private line(line: string, events: string[]): void {
    if (line === '') {
      if (this.data.length > 0) events.push(this.data.join('\n'));
      this.data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    if (field !== 'data') return;
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    this.data.push(value);
  }
}

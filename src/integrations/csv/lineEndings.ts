// Turns CRLF into LF before parsing. csv-parse counts "\r\n" as two lines in `info.lines`, which
// would make every reported line number wrong for files saved on Windows.
import { Transform, type TransformCallback } from 'node:stream';

const CR = 0x0d;
const LF = 0x0a;

export class CrlfToLf extends Transform {
  /** Bytes of the original file seen so far (for progress). */
  bytesIn = 0;
  private pendingCr = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytesIn += chunk.length;
    let buffer = this.pendingCr ? Buffer.concat([Buffer.of(CR), chunk]) : chunk;
    this.pendingCr = buffer.length > 0 && buffer[buffer.length - 1] === CR;
    if (this.pendingCr) buffer = buffer.subarray(0, buffer.length - 1);
    if (buffer.indexOf(CR) === -1) {
      done(null, buffer);
      return;
    }
    const parts: Buffer[] = [];
    let start = 0;
    for (let i = buffer.indexOf(CR); i !== -1; i = buffer.indexOf(CR, i + 1)) {
      if (buffer[i + 1] === LF) {
        parts.push(buffer.subarray(start, i));
        start = i + 1;
      }
    }
    parts.push(buffer.subarray(start));
    done(null, Buffer.concat(parts));
  }

  override _flush(done: TransformCallback): void {
    done(null, this.pendingCr ? Buffer.of(CR) : null);
  }
}

// Writing CSV (RFC 4180): fields quoted only when they need it, lines streamed to a file with
// back-pressure so large files never sit in memory.
import { createWriteStream, type WriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { once } from 'node:events';
import { AftercareError } from '../../errors.js';

export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\n`;
}

export class CsvFileWriter {
  rows = 0;
  private failure: Error | null = null;

  private constructor(
    private readonly path: string,
    private readonly stream: WriteStream,
  ) {
    // Kept, not thrown from an event: the next write or close reports it.
    stream.on('error', (error) => (this.failure = error));
  }

  /** Opens (creates or truncates) `path`; a missing folder or no permission is reported here. */
  static async create(path: string, header: readonly string[]): Promise<CsvFileWriter> {
    let handle;
    try {
      handle = await open(path, 'w');
    } catch (cause) {
      const code = cause instanceof Error && 'code' in cause ? String(cause.code) : 'unknown';
      throw new AftercareError(
        'AFTERCARE_E_FILE_NOT_FOUND',
        `${path}: cannot write (${code})`,
        { file: path },
        { cause },
      );
    }
    const writer = new CsvFileWriter(path, createWriteStream(path, { fd: handle }));
    writer.stream.write(csvLine(header));
    return writer;
  }

  async write(fields: readonly string[]): Promise<void> {
    this.check();
    this.rows++;
    if (!this.stream.write(csvLine(fields))) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    this.check();
    this.stream.end();
    if (!this.stream.writableFinished) await once(this.stream, 'finish');
    this.check();
  }

  private check(): void {
    if (this.failure) {
      throw new AftercareError(
        'AFTERCARE_E_INTERNAL',
        `${this.path}: write failed: ${this.failure.message}`,
        { file: this.path },
        {
          cause: this.failure,
        },
      );
    }
  }
}

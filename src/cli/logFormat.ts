// Log lines for people: on a terminal, pino's JSON lines are shown as `time level message`
// (plus the virtual time in the demo); anywhere else they stay JSON for machines.
import { Writable } from 'node:stream';

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
};

export function formatLogLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 19) : '';
  const level = typeof entry.level === 'number' ? (LEVELS[entry.level] ?? String(entry.level)) : '';
  const virtual =
    typeof entry.virtualTime === 'string' ? ` [${entry.virtualTime.slice(0, 16).replace('T', ' ')}]` : '';
  const message = typeof entry.msg === 'string' ? entry.msg : '';
  const err = entry.err as { message?: unknown } | undefined;
  const error = err && typeof err.message === 'string' ? `: ${err.message}` : '';
  return `${time} ${level}${virtual} ${message}${error}`;
}

/** A destination for pino that writes formatted lines to `out`. */
export function readableLogStream(out: NodeJS.WritableStream): Writable {
  let partial = '';
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') out.write(`${formatLogLine(line)}\n`);
      done();
    },
  });
}

// The email outbox: a directory with one RFC 822 .eml file per idempotency key, used when no SMTP
// server is configured. A resend after a crash overwrites the same file instead of adding one.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ChannelError } from './port.js';

/** Room for the suffix and a temp-file tail inside the usual 255-byte limit on a file name. */
const MAX_STEM = 180;

/**
 * The file name for an idempotency key. Letters, digits, `_`, `-` and inner dots stay; every
 * other byte becomes `%XX`, so two keys never share a file and the name is safe on any file
 * system (no `/`, no `:`, no leading dot). Overlong names keep a readable head plus a hash; `~`
 * marks them and never comes out of the escaping.
 */
export function outboxFileName(idempotencyKey: string): string {
  if (idempotencyKey.length === 0) throw new RangeError('an outbox file needs a non-empty idempotency key');
  let stem = '';
  for (const byte of Buffer.from(idempotencyKey, 'utf8')) {
    const char = String.fromCharCode(byte);
    const plain = /[A-Za-z0-9_-]/.test(char) || (char === '.' && stem.length > 0);
    stem += plain ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  if (stem.length > MAX_STEM) {
    const digest = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32);
    stem = `${stem.slice(0, MAX_STEM - 33)}~${digest}`;
  }
  return `${stem}.eml`;
}

export class Outbox {
  private ready: Promise<void> | null = null;

  constructor(readonly dir: string) {}

  /** Writes the message for `idempotencyKey` atomically and returns the file's path. */
  async write(idempotencyKey: string, rfc822: Buffer): Promise<string> {
    const path = join(this.dir, outboxFileName(idempotencyKey));
    // Written beside the target and renamed over it: a reader (or a crash) never sees half a
    // message, and the temp name does not end in .eml so nobody mistakes it for one.
    const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await this.ensureDir();
      await writeFile(temp, rfc822, { flag: 'wx' });
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      // A full disk or a missing permission is fixed by an operator; the message is still ours.
      const code = fsCodeOf(error) ?? 'OUTBOX_WRITE';
      throw new ChannelError('retryable', code, `could not write ${path}`, { cause: error });
    }
    return path;
  }

  /** The copy written for `idempotencyKey`, or null when there is none (SMTP, or erased). */
  async read(idempotencyKey: string): Promise<{ path: string; rfc822: Buffer } | null> {
    const path = join(this.dir, outboxFileName(idempotencyKey));
    try {
      return { path, rfc822: await readFile(path) };
    } catch (error) {
      if (fsCodeOf(error) === 'ENOENT') return null;
      throw error;
    }
  }

  /** Deletes the files of these idempotency keys (GDPR erasure); resolves to how many existed. */
  async remove(idempotencyKeys: readonly string[]): Promise<number> {
    let removed = 0;
    for (const key of idempotencyKeys) {
      try {
        await rm(join(this.dir, outboxFileName(key)));
        removed += 1;
      } catch (error) {
        if (fsCodeOf(error) !== 'ENOENT') throw error;
      }
    }
    return removed;
  }

  private ensureDir(): Promise<void> {
    // Remembered only once it worked, so a directory created later by an operator is picked up.
    this.ready ??= mkdir(this.dir, { recursive: true }).then(
      () => undefined,
      (error: unknown) => {
        this.ready = null;
        throw error;
      },
    );
    return this.ready;
  }
}

function fsCodeOf(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('code' in error)) return null;
  return typeof error.code === 'string' ? error.code : null;
}

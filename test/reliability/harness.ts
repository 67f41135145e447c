// Helpers for the reliability tests: start and signal real worker processes, read what they
// sent, and wait for the database to reach a state, always within a deadline.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SentLine } from './captureFile.js';
import type { ChildOptions } from './workerChild.js';

const CHILD = fileURLToPath(new URL('./workerChild.ts', import.meta.url));

export interface WorkerProcess {
  readonly options: ChildOptions;
  readonly child: ChildProcess;
  /** JSON lines printed so far. */
  readonly lines: Record<string, unknown>[];
  readonly ready: Promise<void>;
  readonly exited: Promise<number | null>;
  alive(): boolean;
}

export function spawnWorker(options: ChildOptions): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let exitedFlag = false;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const text = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      try {
        const line = JSON.parse(text) as Record<string, unknown>;
        lines.push(line);
        if (line.type === 'ready') markReady();
      } catch {
        lines.push({ type: 'garbage', text });
      }
    }
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      exitedFlag = true;
      markReady();
      if (code !== 0 && code !== null && stderr)
        process.stderr.write(`# worker ${options.worker} stderr: ${stderr}\n`);
      resolve(code);
    });
  });
  return { options, child, lines, ready, exited, alive: () => !exitedFlag };
}

export async function stopWorker(worker: WorkerProcess): Promise<Record<string, unknown> | null> {
  if (worker.alive()) worker.child.kill('SIGTERM');
  const timer = setTimeout(() => worker.child.kill('SIGKILL'), 15_000);
  await worker.exited;
  clearTimeout(timer);
  return worker.lines.find((line) => line.type === 'stats') ?? null;
}

export function readSent(path: string): SentLine[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as SentLine);
}

export interface SendAnalysis {
  lines: number;
  distinct: number;
  duplicates: number;
  /** Touch points sent more than once with different Message-IDs (must be none). */
  conflictingMessageIds: string[];
}

export function analyse(sent: SentLine[]): SendAnalysis {
  const firstMessageId = new Map<string, string>();
  const conflicting = new Set<string>();
  for (const line of sent) {
    const first = firstMessageId.get(line.touchPointId);
    if (first === undefined) firstMessageId.set(line.touchPointId, line.messageId);
    else if (first !== line.messageId) conflicting.add(line.touchPointId);
  }
  return {
    lines: sent.length,
    distinct: firstMessageId.size,
    duplicates: sent.length - firstMessageId.size,
    conflictingMessageIds: [...conflicting],
  };
}

export async function waitUntil(
  what: string,
  condition: () => Promise<boolean> | boolean,
  timeoutMs: number,
  everyMs = 100,
): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await condition()) return Date.now() - start;
    if (Date.now() - start > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

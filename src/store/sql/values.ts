import { readTipsDone } from '../../core/education/series.js';
import type { Preferences, TemperatureReason } from '../../core/listening/types.js';
// Reading column values back the same way on both dialects: SQLite gives booleans as 0/1 and
// JSON as text, PostgreSQL as true/false and parsed jsonb. Writing is the same everywhere
// (0/1 and JSON text), so only reading needs these.

export function readBool(value: unknown): boolean {
  return value === true || value === 1;
}

export function readJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export function bool(value: boolean): number {
  return value ? 1 : 0;
}

export function readReasons(value: unknown): TemperatureReason[] {
  const parsed = readJson<unknown>(value);
  return Array.isArray(parsed) ? (parsed as TemperatureReason[]) : [];
}

export function readPreferences(value: unknown): Preferences {
  const parsed = readJson<Partial<Preferences> | null>(value);
  return {
    topicsOff: parsed?.topicsOff ?? [],
    channelsOff: parsed?.channelsOff ?? [],
    pausedUntil: parsed?.pausedUntil ?? null,
    ...(parsed?.tipsDone ? { tipsDone: readTipsDone(parsed.tipsDone) } : {}),
  };
}

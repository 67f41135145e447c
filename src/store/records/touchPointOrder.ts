// The one order every store lists touch points in: due time, then purpose priority, then id
// in code point order (as both databases compare keys).
import type { TouchPoint } from '../../core/domain.js';
import { purposePriority } from '../priority.js';
import { compareText } from './storable.js';

export function byDueThenPriority(a: TouchPoint, b: TouchPoint): number {
  return (
    a.dueAt - b.dueAt || purposePriority(a.purpose) - purposePriority(b.purpose) || compareText(a.id, b.id)
  );
}

/** The touch points an enrollment's plan stands for, optionally of one status (queued ones are rows). */
export function planStatusMatches(status: string, wanted: string | undefined): boolean {
  if (status === 'queued') return false;
  return wanted === undefined || wanted === status;
}

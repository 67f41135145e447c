// The compact plan: an enrollment's touch points that the queue has not taken yet, kept as one
// small JSON array on the enrollment row instead of one fully indexed row each. A step becomes a
// touch_points row (status `queued` here) when the dispatcher claims it or a person moves or
// cancels it; from then on that row is the truth. Stores list both alike (`planTouchPoint`).
import type { ChannelName, Enrollment, Millis, Purpose, TouchPoint } from '../../core/domain.js';
import type { Reason, ReasonCode } from '../../core/reasons.js';
import { purposePriority } from '../priority.js';
import { compareText } from './storable.js';

export type PlanStatus = 'scheduled' | 'skipped' | 'cancelled' | 'queued';

export interface PlanEntry {
  step: string;
  channel: ChannelName;
  purpose: Purpose;
  dueAt: Millis;
  createdAt: Millis;
  status: PlanStatus;
  reason: Reason | null;
  outcomeAt: Millis | null;
}

const STATUS_CODE: Record<PlanStatus, string> = { scheduled: 's', skipped: 'k', cancelled: 'c', queued: 'q' };
const STATUS_OF: Record<string, PlanStatus> = { s: 'scheduled', k: 'skipped', c: 'cancelled', q: 'queued' };

type Encoded = [
  step: string,
  channel: string,
  purpose: string,
  dueAt: number,
  createdAt: number,
  status?: string,
  reason?: string | null,
  detail?: string | null,
  outcomeAt?: number | null,
];

export function encodePlan(entries: readonly PlanEntry[]): string {
  const out: Encoded[] = new Array<Encoded>(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const row: Encoded = [e.step, e.channel, e.purpose, e.dueAt, e.createdAt, STATUS_CODE[e.status]];
    if (e.reason !== null || e.outcomeAt !== null) {
      row.push(e.reason?.code ?? null, e.reason?.detail ?? null, e.outcomeAt);
    }
    out[i] = row;
  }
  return JSON.stringify(out);
}

export function decodePlan(text: string): PlanEntry[] {
  const rows = JSON.parse(text) as Encoded[];
  const out: PlanEntry[] = new Array<PlanEntry>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const [step, channel, purpose, dueAt, createdAt, status, code, detail, outcomeAt] = rows[i]!;
    out[i] = {
      step,
      channel: channel as ChannelName,
      purpose: purpose as Purpose,
      dueAt,
      createdAt,
      status: STATUS_OF[status ?? 's'] ?? 'scheduled',
      reason:
        code === null || code === undefined ? null : { code: code as ReasonCode, detail: detail ?? null },
      outcomeAt: outcomeAt ?? null,
    };
  }
  return out;
}

/**
 * The queue's key for this plan: its first scheduled entry in claim order (due time, then purpose
 * priority, then touch point id), with that touch point's id, so plans and queued rows are
 * claimed in one order.
 */
export function planNext(
  enrollmentId: string,
  entries: readonly PlanEntry[],
): { dueAt: Millis; priority: number; key: string } | null {
  let best: PlanEntry | null = null;
  let bestPriority = 0;
  for (const e of entries) {
    if (e.status !== 'scheduled') continue;
    const priority = purposePriority(e.purpose);
    if (
      best === null ||
      e.dueAt < best.dueAt ||
      (e.dueAt === best.dueAt &&
        (priority < bestPriority || (priority === bestPriority && compareText(e.step, best.step) < 0)))
    ) {
      best = e;
      bestPriority = priority;
    }
  }
  return best === null
    ? null
    : { dueAt: best.dueAt, priority: bestPriority, key: touchPointIdOf(enrollmentId, best.step) };
}

export function enrollmentIdOf(playbook: string, orderId: string): string {
  return `${playbook}:${orderId}`;
}

export function touchPointIdOf(enrollmentId: string, step: string): string {
  return `${enrollmentId}:${step}`;
}

/**
 * The parts of a touch point id. Playbook names and step keys are slugs (no `:`), so the
 * playbook is everything before the first colon and the step everything after the last.
 */
export function parseTouchPointId(id: string): { playbook: string; orderId: string; step: string } | null {
  const first = id.indexOf(':');
  const last = id.lastIndexOf(':');
  if (first <= 0 || last <= first + 1 || last === id.length - 1) return null;
  return { playbook: id.slice(0, first), orderId: id.slice(first + 1, last), step: id.slice(last + 1) };
}

/** A plan entry as the touch point it stands for (never `queued`: that one is a row). */
export function planTouchPoint(enrollment: Enrollment, e: PlanEntry): TouchPoint {
  return {
    id: touchPointIdOf(enrollment.id, e.step),
    enrollmentId: enrollment.id,
    customerId: enrollment.customerId,
    orderId: enrollment.orderId,
    playbook: enrollment.playbook,
    playbookVersion: enrollment.playbookVersion,
    stepKey: e.step,
    channel: e.channel,
    purpose: e.purpose,
    holdout: enrollment.holdout,
    dueAt: e.dueAt,
    status: e.status === 'queued' ? 'scheduled' : e.status,
    attempt: 0,
    leaseUntil: null,
    reason: e.reason,
    outcomeAt: e.outcomeAt,
    createdAt: e.createdAt,
  };
}

/** The entry a newly planned touch point becomes (claimed and sent ones never come here). */
export function planEntryOf(t: TouchPoint): PlanEntry {
  const status: PlanStatus = t.status === 'skipped' || t.status === 'cancelled' ? t.status : 'scheduled';
  return {
    step: t.stepKey,
    channel: t.channel,
    purpose: t.purpose,
    dueAt: t.dueAt,
    createdAt: t.createdAt,
    status,
    reason: t.reason,
    outcomeAt: t.outcomeAt,
  };
}

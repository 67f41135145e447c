// The escalation ladder: who owns a concern at each level (rep -> manager -> owner), whom a level
// notifies, and how long each level has to acknowledge and to resolve it, by severity. Pure: the
// sweep (engine/listening/escalation.ts) climbs due concerns; the listener sets the first owner
// and timer through ladderRules().
import type { Millis } from '../domain.js';
import type { PolicyConfig } from '../policy/types.js';
import { addWorkingTime } from './workingTime.js';
import type { Concern, Severity } from './types.js';

/** One place a level's notices go. */
export type NotifyTarget = { kind: 'email'; address: string } | { kind: 'webhook'; url: string };

export interface LadderLevel {
  /** Who owns the concern at this level: rep, manager, owner... (Concern.owner). */
  name: string;
  notify: NotifyTarget[];
}

export interface Sla {
  /** Time the level has, from when it got the concern, to acknowledge it. */
  acknowledgeMs: Millis;
  /** Time the level has, from when it got the concern, to resolve it (never shorter). */
  resolveMs: Millis;
}

/** Business hours in the business's zone, when SLAs count only those. */
export interface WorkingHours {
  zone: string;
  hours: PolicyConfig['businessHours'];
}

export interface Ladder {
  /** At least one; level 0 is the concern's first owner and is never notified by a climb. */
  levels: LadderLevel[];
  sla: Record<Severity, Sla>;
  /** null: SLAs count calendar time; else only the business's open hours count. */
  workingHours: WorkingHours | null;
  /** The file it came from, or 'built-in'. */
  source: string;
}

/** What a level is told when a concern climbs to it; `id` is stable for one concern and level. */
export interface EscalationNotice {
  /** `escalation:<concernId>:<level>`: the e-mail Message-ID and the webhook-id. */
  id: string;
  concernId: string;
  customerId: string;
  orderId: string | null;
  level: number;
  levelName: string;
  /** The level that let the SLA pass. */
  previousLevelName: string;
  /** Which SLA passed: nobody acknowledged, or it was acknowledged but not resolved. */
  reason: 'not_acknowledged' | 'not_resolved';
  severity: Severity;
  summary: string;
  openedAt: Millis;
  /** When the SLA passed and the concern climbed. */
  escalatedAt: Millis;
  /** When this level's own SLA passes (null at the top of the ladder). */
  dueAt: Millis | null;
  targets: NotifyTarget[];
  link?: string;
}

export interface Climb {
  concern: Concern;
  notice: EscalationNotice;
}

/** What the listener takes to give a new concern its owner and first timer. */
export interface EscalationRules {
  ownerAt(level: number): string;
  deadline(concern: Concern): Millis | null;
}

export function noticeId(concernId: string, level: number): string {
  return `escalation:${concernId}:${level}`;
}

/** The level's name; a level past the top (the ladder was shortened) is owned by the top. */
export function ownerAt(ladder: Ladder, level: number): string {
  const index = Math.min(Math.max(0, Math.floor(level)), ladder.levels.length - 1);
  return ladder.levels[index]?.name ?? 'rep';
}

/** When the concern reached its current level: opened for level 0, else its last climb there. */
export function levelStart(concern: Concern): Millis {
  let start = concern.openedAt;
  for (const escalation of concern.escalations) {
    if (escalation.level === concern.level) start = escalation.at;
  }
  return start;
}

/** Acknowledged by someone at the current level (an acknowledgement before the climb does not count). */
export function acknowledgedAtLevel(concern: Concern): boolean {
  return concern.acknowledgedAt !== null && concern.acknowledgedAt >= levelStart(concern);
}

/**
 * When the current level's SLA passes: resolved or at the top -> null; unacknowledged -> the
 * acknowledge SLA from when the level got it; acknowledged -> the resolve SLA from the same start.
 */
export function deadline(ladder: Ladder, concern: Concern): Millis | null {
  if (concern.status === 'resolved' || concern.resolvedAt !== null) return null;
  if (concern.level >= ladder.levels.length - 1) return null;
  const sla = ladder.sla[concern.severity];
  const span = acknowledgedAtLevel(concern) ? sla.resolveMs : sla.acknowledgeMs;
  const start = levelStart(concern);
  return ladder.workingHours === null
    ? start + span
    : addWorkingTime(start, span, ladder.workingHours.zone, ladder.workingHours.hours);
}

/**
 * The concern one level up, climbed `at` (when its SLA passed), with its new owner and timer, and
 * the notice for that level; null when it cannot climb (resolved, or already at the top).
 */
export function climb(ladder: Ladder, concern: Concern, at: Millis): Climb | null {
  if (concern.status === 'resolved' || concern.resolvedAt !== null) return null;
  const level = concern.level + 1;
  const to = ladder.levels[level];
  if (to === undefined) return null;
  const reason = acknowledgedAtLevel(concern) ? 'not_resolved' : 'not_acknowledged';
  const climbed: Concern = {
    ...concern,
    level,
    owner: to.name,
    // The new owner has not seen it yet: it waits for their acknowledgement.
    status: 'open',
    escalations: [...concern.escalations, { level, at }],
    nextEscalationAt: null,
  };
  climbed.nextEscalationAt = deadline(ladder, climbed);
  const notice: EscalationNotice = {
    id: noticeId(concern.id, level),
    concernId: concern.id,
    customerId: concern.customerId,
    orderId: concern.orderId,
    level,
    levelName: to.name,
    previousLevelName: ownerAt(ladder, concern.level),
    reason,
    severity: concern.severity,
    summary: concern.summary,
    openedAt: concern.openedAt,
    escalatedAt: at,
    dueAt: climbed.nextEscalationAt,
    targets: to.notify,
  };
  return { concern: climbed, notice };
}

/** The `{ ownerAt, deadline }` the listener takes. */
export function ladderRules(ladder: Ladder): EscalationRules {
  return {
    ownerAt: (level) => ownerAt(ladder, level),
    deadline: (concern) => deadline(ladder, concern),
  };
}

// The escalation sweep: every concern whose stored timer has passed climbs one level of the
// ladder, its new level is told, and the climb is stored. At least once: the notice goes out
// first and the climb is stored after, so a crash in between repeats the notice (same id) rather
// than losing it. A concern whose timer passed several times (the worker was down, or simulate
// jumped days ahead) climbs once per passed deadline, each climb dated when its SLA passed.
import type { Millis } from '../../core/domain.js';
import { climb, deadline, type EscalationNotice, type Ladder } from '../../core/listening/ladder.js';
import type { Concern } from '../../core/listening/types.js';
import type { ListeningStore } from '../../store/ports/listening.js';
import type { PeriodicJob } from '../periodic.js';
import type { EscalationNotifier, NoticeFailure } from './notifier.js';

export interface EscalationSweepParts {
  store: Pick<ListeningStore, 'dueEscalations' | 'escalate'>;
  ladder: Ladder;
  notifier: EscalationNotifier;
  /** Concerns read per round (default 100). */
  limit?: number;
  /** A link for the notice (the dashboard's page of the concern), if there is one. */
  link?: (concern: Concern) => string | undefined;
  /** Told about every notice that was not fully delivered. */
  onWarning?: (warning: EscalationWarning) => void;
}

export interface EscalationWarning {
  concernId: string;
  level: number;
  /** held_back: not climbed, tried again next sweep; climbed: some target will never get it. */
  outcome: 'held_back' | 'climbed';
  failures: NoticeFailure[];
}

export interface EscalationReport {
  /** Each climb stored: the concern, the level it reached, when its SLA passed. */
  escalated: { concernId: string; level: number; at: Millis }[];
  /** Left at their level because a notice could not be delivered yet (retried next sweep). */
  heldBack: { concernId: string; level: number }[];
  /** Resolved or climbed by someone else between reading and storing: left alone. */
  stale: string[];
  /** Timers that had nothing left to climb to (the ladder was shortened), cleared. */
  cleared: string[];
}

const DEFAULT_LIMIT = 100;
/** How often the worker runs the sweep: an SLA passes at most this much before it is acted on. */
export const DEFAULT_ESCALATION_EVERY_MS: Millis = 60_000;
/** A store that accepted climbs without storing them would loop forever; this many rounds at most. */
const MAX_ROUNDS = 1_000;

/** Climbs everything due at `now`, round after round, until nothing is due. */
export async function escalationSweep(
  parts: EscalationSweepParts & { now: Millis },
): Promise<EscalationReport> {
  const { store, ladder, notifier, now } = parts;
  const limit = parts.limit ?? DEFAULT_LIMIT;
  const report: EscalationReport = { escalated: [], heldBack: [], stale: [], cleared: [] };
  // Concerns not to read again this sweep: held back, or changed under us.
  const passed = new Set<string>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const due = (await store.dueEscalations(now, limit + passed.size)).filter((c) => !passed.has(c.id));
    if (due.length === 0) break;
    let progress = false;
    for (const concern of due) {
      const at = Math.min(concern.nextEscalationAt ?? now, now);
      const step = climb(ladder, concern, at);
      if (step === null) {
        const quiet: Concern = { ...concern, nextEscalationAt: deadline(ladder, concern) };
        if (await store.escalate(quiet, { level: concern.level })) report.cleared.push(concern.id);
        else report.stale.push(concern.id);
        passed.add(concern.id);
        progress = true;
        continue;
      }
      const notice: EscalationNotice = withLink(step.notice, parts.link?.(concern));
      const delivery = await notifier.notify(notice);
      const retry = delivery.failed.some((failure) => failure.kind !== 'permanent');
      if (delivery.failed.length > 0) {
        parts.onWarning?.({
          concernId: concern.id,
          level: notice.level,
          outcome: retry ? 'held_back' : 'climbed',
          failures: delivery.failed,
        });
      }
      if (retry) {
        report.heldBack.push({ concernId: concern.id, level: notice.level });
        passed.add(concern.id);
        continue;
      }
      progress = true;
      if (await store.escalate(step.concern, { level: concern.level })) {
        report.escalated.push({ concernId: concern.id, level: notice.level, at });
      } else {
        report.stale.push(concern.id);
        passed.add(concern.id);
      }
    }
    // Not one notice of a whole round went out: the mail server or chat service is down. The rest
    // waits for the next sweep instead of each trying (and timing out) against it now.
    if (!progress) break;
  }
  return report;
}

function withLink(notice: EscalationNotice, link: string | undefined): EscalationNotice {
  return link === undefined ? notice : { ...notice, link };
}

/** The sweep as a cluster-wide periodic job (one worker runs it per tick). */
export function escalationJob(
  parts: EscalationSweepParts & { everyMs?: Millis },
): PeriodicJob<EscalationReport> {
  return {
    name: 'escalation',
    everyMs: parts.everyMs ?? DEFAULT_ESCALATION_EVERY_MS,
    run: (now) => escalationSweep({ ...parts, now }),
  };
}

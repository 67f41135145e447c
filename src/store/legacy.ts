// TRANSITIONAL: presents the previous one-interface adapters (port.ts) as the capability ports
// of store.ts while the adapters are rewritten. Deleted with the old adapters in this change.
import type { Millis, TouchPoint } from '../core/domain.js';
import { isReasonCode, type Reason } from '../core/reasons.js';
import type {
  Store as LegacyStore,
  IntakeReducer as LegacyReducer,
  AttemptOutcome as LegacyOutcome,
} from './port.js';
import type { InboxEntry, InboxStore } from './ports/inbox.js';
import type { IntakeReducer } from './ports/intake.js';
import type { PlaybookSnapshot, PlaybookVersionStore } from './ports/playbookVersions.js';
import type { AttemptOutcome, ClaimedTouchPoint } from './ports/queue.js';
import type { Store } from './store.js';

function encodeReason(reason: Reason): string {
  return reason.detail === null ? reason.code : `${reason.code}:${reason.detail}`;
}

function decodeReason(text: string | null): Reason | null {
  if (text === null) return null;
  const colon = text.indexOf(':');
  const code = colon < 0 ? text : text.slice(0, colon);
  if (!isReasonCode(code)) return { code: 'send_failed', detail: text };
  return { code, detail: colon < 0 ? null : text.slice(colon + 1) };
}

function tp(old: TouchPoint | null): TouchPoint | null {
  if (old === null) return null;
  return { ...old, reason: decodeReason(old.reason as unknown as string | null) };
}

function legacyOutcome(outcome: AttemptOutcome): LegacyOutcome {
  switch (outcome.kind) {
    case 'sent':
      return outcome;
    case 'failed':
      return { ...outcome, error: encodeReason(outcome.reason) };
    case 'skipped':
    case 'cancelled':
    case 'rescheduled':
      return { ...outcome, reason: encodeReason(outcome.reason) };
  }
}

function legacyReducer(reduce: IntakeReducer): LegacyReducer {
  return (state, event) => {
    const changes = reduce({ ...state, touchPoints: state.touchPoints.map((t) => tp(t)!) }, event);
    return {
      ...changes,
      insertTouchPoints: changes.insertTouchPoints.map((t) => ({
        ...t,
        reason: (t.reason === null ? null : encodeReason(t.reason)) as unknown as Reason | null,
      })),
      cancel: changes.cancel.map((c) => ({ id: c.id, reason: encodeReason(c.reason) })),
    };
  };
}

class MemoryVersions implements PlaybookVersionStore {
  private readonly versions = new Map<string, PlaybookSnapshot>();
  registerPlaybookVersion(snapshot: PlaybookSnapshot): Promise<PlaybookSnapshot> {
    const key = `${snapshot.name}@${snapshot.version}`;
    const stored = this.versions.get(key) ?? snapshot;
    this.versions.set(key, stored);
    return Promise.resolve(stored);
  }
  getPlaybookVersion(name: string, version: number): Promise<PlaybookSnapshot | null> {
    return Promise.resolve(this.versions.get(`${name}@${version}`) ?? null);
  }
  listPlaybookVersions() {
    return Promise.resolve(
      [...this.versions.values()].map(({ templates: _t, definition: _d, ...rest }) => rest),
    );
  }
}

class MemoryInbox implements InboxStore {
  private seq = 0;
  private readonly entries = new Map<number, InboxEntry & { leaseUntil: Millis }>();
  appendInbox(entries: { event: InboxEntry['event']; source: string }[], at: Millis): Promise<void> {
    for (const e of entries) {
      this.seq += 1;
      this.entries.set(this.seq, {
        seq: this.seq,
        event: e.event,
        source: e.source,
        receivedAt: at,
        leaseUntil: 0,
      });
    }
    return Promise.resolve();
  }
  takeInbox(limit: number, now: Millis, leaseUntil: Millis): Promise<InboxEntry[]> {
    const out: InboxEntry[] = [];
    for (const entry of this.entries.values()) {
      if (out.length >= limit) break;
      if (entry.leaseUntil > now) continue;
      entry.leaseUntil = leaseUntil;
      out.push({ seq: entry.seq, event: entry.event, source: entry.source, receivedAt: entry.receivedAt });
    }
    return Promise.resolve(out);
  }
  ackInbox(seqs: number[]): Promise<void> {
    for (const seq of seqs) this.entries.delete(seq);
    return Promise.resolve();
  }
  inboxDepth(): Promise<number> {
    return Promise.resolve(this.entries.size);
  }
}

export function fromLegacy(old: LegacyStore): Store {
  const claimed = (c: ClaimedTouchPoint): ClaimedTouchPoint => ({ ...c, touchPoint: tp(c.touchPoint)! });
  return {
    dialect: old.dialect,
    migrate: () => old.migrate(),
    close: () => old.close(),
    intake: { apply: (events, reduce) => old.intake(events, legacyReducer(reduce)) },
    queue: {
      claimDue: async (o) => (await old.claimDue(o)).map(claimed),
      recordOutcomes: (outcomes) => old.recordOutcomes(outcomes.map(legacyOutcome)),
      recentNonTransactional: (ids, since) => old.recentNonTransactional(ids, since),
      nextDueAt: () => old.nextDueAt(),
      requeueExpiredLeases: (before) => old.requeueExpiredLeases?.(before) ?? Promise.resolve([]),
    },
    schedule: {
      move: async (id, dueAt) => tp(await old.moveTouchPoint(id, dueAt)),
      cancel: async (id, reason, at) => tp(await old.cancelTouchPoint(id, encodeReason(reason), at)),
    },
    consent: {
      suppressed: (emails) => old.suppressedEmails(emails),
      suppress: (email, reason, at) => old.addSuppression(email, reason, at),
    },
    tasks: {
      create: (task) => old.createTask(task),
      get: (id) => old.getTask(id),
      list: (query) => old.listTasks(query),
      transition: (id, from, patch) => old.transitionTask(id, from, patch),
    },
    reads: {
      getCustomer: (id) => old.getCustomer(id),
      findCustomerByEmail: (email) => old.findCustomerByEmail(email),
      getOrder: (id) => old.getOrder(id),
      listOrders: (id) => old.listOrders(id),
      listEvents: (id, types) => old.listEvents(id, types),
      listTouchPoints: async (q) => (await old.listTouchPoints(q)).map((t) => tp(t)!),
      getTouchPoint: async (id) => tp(await old.getTouchPoint(id)),
      counts: () => old.counts(),
    },
    access: {
      createApiKey: (k) => old.createApiKey(k),
      findApiKey: (id) => old.findApiKey(id),
      listApiKeys: () => old.listApiKeys(),
      revokeApiKey: (id, at) => old.revokeApiKey(id, at),
      beginIdempotent: (c) => old.beginIdempotent(c),
      finishIdempotent: (a, k, t, r, e) => old.finishIdempotent(a, k, t, r, e),
      abandonIdempotent: (a, k, t) => old.abandonIdempotent(a, k, t),
      purgeIdempotency: (b) => old.purgeIdempotency(b),
    },
    privacy: {
      exportCustomer: async (id) => {
        const e = await old.exportCustomer(id);
        return e && { ...e, touchPoints: e.touchPoints.map((t) => tp(t)!) };
      },
      eraseCustomer: (id, at) => old.eraseCustomer(id, at),
    },
    playbooks: new MemoryVersions(),
    inbox: new MemoryInbox(),
    cluster:
      old.onDueWork && old.runExclusive
        ? {
            onDueWork: (l) => old.onDueWork!(l),
            runExclusive: (job, fn) => old.runExclusive!(job, fn),
          }
        : null,
  };
}

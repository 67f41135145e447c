// The sends frequency caps and the survey throttle read: per customer, the non-transactional
// e-mail and SMS touch points that went out, kept sorted (by time, then id, as the SQL stores
// order them) so "since" is a binary search.
import type { Millis, TouchPoint } from '../../core/domain.js';
import type { RecentSend } from '../ports/queue.js';

/** Whether a touch point in this state counts against the customer's frequency cap. */
export function countsAsSend(t: TouchPoint): t is TouchPoint & { outcomeAt: Millis } {
  return (
    t.status === 'sent' &&
    t.outcomeAt !== null &&
    t.purpose !== 'transactional' &&
    (t.channel === 'email' || t.channel === 'sms')
  );
}

interface Entry {
  id: string;
  send: RecentSend;
}

function before(a: Entry, at: Millis, id: string): boolean {
  return a.send.at < at || (a.send.at === at && a.id < id);
}

/** The first index not before (`at`, `id`). */
function firstAtOrAfter(entries: readonly Entry[], at: Millis, id = ''): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (before(entries[mid]!, at, id)) low = mid + 1;
    else high = mid;
  }
  return low;
}

export class SendLog {
  private readonly entries = new Map<string, Entry[]>();

  add(t: TouchPoint & { outcomeAt: Millis }): void {
    const entry: Entry = {
      id: t.id,
      send: { at: t.outcomeAt, playbook: t.playbook, playbookVersion: t.playbookVersion, stepKey: t.stepKey },
    };
    const list = this.entries.get(t.customerId);
    if (list === undefined) {
      this.entries.set(t.customerId, [entry]);
      return;
    }
    // Sends are mostly recorded in time order: appending is the usual case.
    const last = list[list.length - 1];
    if (last === undefined || before(last, t.outcomeAt, t.id)) list.push(entry);
    else list.splice(firstAtOrAfter(list, t.outcomeAt, t.id), 0, entry);
  }

  remove(t: TouchPoint & { outcomeAt: Millis }): void {
    const list = this.entries.get(t.customerId);
    if (list === undefined) return;
    const i = firstAtOrAfter(list, t.outcomeAt, t.id);
    if (list[i]?.id === t.id) list.splice(i, 1);
  }

  /** The customer's sends at or after `since`, oldest first (empty: none). */
  since(customerId: string, since: Millis): RecentSend[] {
    const list = this.entries.get(customerId);
    if (list === undefined) return [];
    return list.slice(firstAtOrAfter(list, since)).map((e) => ({ ...e.send }));
  }

  clear(): void {
    this.entries.clear();
  }
}

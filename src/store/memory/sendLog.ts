// The sends frequency caps count: per customer, the times of non-transactional e-mail and SMS
// touch points that went out, kept sorted so "since" is a binary search.
import type { Millis, TouchPoint } from '../../core/domain.js';

/** Whether a touch point in this state counts against the customer's frequency cap. */
export function countsAsSend(t: TouchPoint): t is TouchPoint & { outcomeAt: Millis } {
  return (
    t.status === 'sent' &&
    t.outcomeAt !== null &&
    t.purpose !== 'transactional' &&
    (t.channel === 'email' || t.channel === 'sms')
  );
}

/** The first index whose time is at or after `at`. */
function firstAtOrAfter(times: readonly Millis[], at: Millis): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (times[mid]! < at) low = mid + 1;
    else high = mid;
  }
  return low;
}

export class SendLog {
  private readonly times = new Map<string, Millis[]>();

  add(customerId: string, at: Millis): void {
    const times = this.times.get(customerId);
    if (times === undefined) {
      this.times.set(customerId, [at]);
      return;
    }
    // Sends are mostly recorded in time order: appending is the usual case.
    if (times.length === 0 || times[times.length - 1]! <= at) times.push(at);
    else times.splice(firstAtOrAfter(times, at), 0, at);
  }

  remove(customerId: string, at: Millis): void {
    const times = this.times.get(customerId);
    if (times === undefined) return;
    const i = firstAtOrAfter(times, at);
    if (times[i] === at) times.splice(i, 1);
  }

  /** A copy of the customer's send times at or after `since`, oldest first (empty: none). */
  since(customerId: string, since: Millis): Millis[] {
    const times = this.times.get(customerId);
    if (times === undefined) return [];
    return times.slice(firstAtOrAfter(times, since));
  }

  clear(): void {
    this.times.clear();
  }
}

// The arrival check lands within two days of delivery, even when the frequency cap is full:
// realistic weeks in the customer's own zone, decided by the full policy chain.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fromLocal } from '../localTime.js';
import { decide } from './decide.js';
import { DEFAULT_POLICY_CONFIG } from './defaults.js';
import { aContext, aPlaybook, DAY } from './fixtures.test-helpers.js';
import type { Step } from '../playbook/types.js';
import type { Decision, PolicyConfig } from './types.js';

const ZONE = 'Europe/Berlin';
const config: PolicyConfig = { ...DEFAULT_POLICY_CONFIG, defaultTimezone: ZONE };
const berlin = (day: number, hour: number, minute = 0) =>
  fromLocal({ year: 2026, month: 6, day, hour, minute }, ZONE);

// Friday 12 June 2026, 19:40 in Berlin: the parcel is at the door.
const DELIVERED = berlin(12, 19, 40);
// reassure.yaml's arrival-check: a day after delivery at 10:00 -> Saturday 13 June, 10:00.
const ARRIVAL: Partial<Step> = {
  key: 'arrival-check',
  template: 'arrival-check',
  timing: { moment: 'delivered', offsetMs: DAY, atLocal: { hour: 10, minute: 0 } },
  purpose: 'reassurance',
};
const SATURDAY_10 = berlin(13, 10);

function arrivalAt(
  now: number,
  sent: number[],
  step: Partial<Step> = ARRIVAL,
  dueAt = SATURDAY_10,
): Decision {
  return decide(
    aContext({
      now,
      step,
      purpose: step.purpose ?? 'reassurance',
      customer: { timezone: ZONE },
      order: { moments: { placed: berlin(8, 9), shipped: berlin(9, 15), delivered: DELIVERED } },
      touchPoint: { stepKey: step.key ?? 'arrival-check', dueAt },
      playbook: aPlaybook({ delayGraceMs: DAY }),
      recentNonTransactional: sent,
    }),
    config,
  );
}

describe('the arrival check and the frequency cap', () => {
  // The week so far: Monday's thank-you, Wednesday's one-week check-in of an earlier order, and
  // that order's tips mail this Saturday morning. Three in seven days: the cap (3/7d) is full
  // until Monday's thank-you leaves the window, Monday 15 June 10:00.
  const week = [berlin(8, 10), berlin(10, 10), berlin(13, 9, 5)];

  test('a full cap no longer pushes it to Monday: it goes on Saturday morning', () => {
    assert.deepEqual(arrivalAt(SATURDAY_10, week), { kind: 'send' });
  });

  test('it still waits for a slot that frees within two days of delivery', () => {
    // The oldest send left at Saturday 18:00 instead: the check waits until then (22 h after delivery).
    const early = [berlin(6, 18), berlin(10, 10), berlin(13, 9, 5)];
    assert.deepEqual(arrivalAt(SATURDAY_10, early), {
      kind: 'defer',
      until: berlin(13, 18),
      reason: 'frequency_cap',
    });
  });

  test('deferred by a slot that freed late in the evening, it waits for the morning, still within two days', () => {
    // Frees Saturday 21:30 (quiet hours): Sunday 09:00 is 37 h after delivery.
    const late = [berlin(6, 21, 30), berlin(10, 10), berlin(13, 9, 5)];
    assert.deepEqual(arrivalAt(SATURDAY_10, late), {
      kind: 'defer',
      until: berlin(14, 9),
      reason: 'frequency_cap',
    });
  });

  test('other reassurance, and an arrival check planned later than two days, still waits for the cap', () => {
    const checkinWeek: Partial<Step> = {
      key: 'checkin-week',
      template: 'checkin-week',
      timing: { moment: 'delivered', offsetMs: 7 * DAY, atLocal: { hour: 10, minute: 0 } },
      purpose: 'reassurance',
    };
    const friday = berlin(19, 10);
    const busy = [berlin(13, 10), berlin(15, 10), berlin(18, 10)];
    const decision = arrivalAt(friday, busy, checkinWeek, friday);
    assert.equal(decision.kind, 'defer');
    // Education is not an arrival check either.
    const tips = { ...ARRIVAL, key: 'usage-tips', purpose: 'education' as const };
    assert.equal(arrivalAt(SATURDAY_10, week, tips).kind, 'defer');
  });
});

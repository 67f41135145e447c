import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CHANNELS } from '../domain.js';
import { fromLocal, localParts, toLocalIso } from '../localTime.js';
import { decide, DEFAULT_POLICY_CONFIG as config } from './decide.js';
import { aContext, DAY, HOUR, NOW, type ContextOverrides } from './fixtures.test-helpers.js';
import { DEFER_CODES as DEFER_REASONS, SKIP_CODES as SKIP_REASONS } from '../reasons.js';
import type { Decision } from './types.js';

const full = [NOW - 6 * DAY, NOW - 2 * DAY, NOW - HOUR];
const late = Date.UTC(2026, 5, 10, 22); // Wednesday 22:00 UTC: quiet hours, business closed
const run = (overrides: ContextOverrides): Decision => decide(aContext(overrides), config);

describe('DEFAULT_POLICY_CONFIG', () => {
  test('holds the documented defaults and cannot be changed by accident', () => {
    assert.deepEqual(config, {
      defaultTimezone: 'UTC',
      currency: { base: 'USD', rates: {} },
      quietHours: { start: { hour: 20, minute: 0 }, end: { hour: 9, minute: 0 } },
      businessHours: { days: [1, 2, 3, 4, 5], start: { hour: 9, minute: 0 }, end: { hour: 17, minute: 0 } },
      frequencyCap: { max: 3, windowMs: 7 * DAY },
      offerDelayAfterDeliveryMs: 21 * DAY,
      maxLatenessMs: 7 * DAY,
      surveyIntervalMs: 14 * DAY,
      awaitingPersonRecheckMs: DAY,
      sameStepWindowMs: DAY,
      measurementSurveys: true,
    });
    assert.throws(() => {
      (config.quietHours.start as { hour: number }).hour = 3;
    }, TypeError);
    assert.throws(() => config.businessHours.days.push(6), TypeError);
  });
});

describe('decide', () => {
  test('sends when nothing objects', () => {
    assert.deepEqual(run({}), { kind: 'send' });
    for (const channel of CHANNELS) assert.deepEqual(run({ channel }), { kind: 'send' }, channel);
  });

  describe('the first objection wins, in the documented order', () => {
    const everything: ContextOverrides = {
      now: late,
      purpose: 'offer',
      customer: { unsubscribedAt: NOW - DAY, openConcerns: 1 },
      enrollment: { holdout: true },
      step: { when: { field: 'order.total', op: 'gt', value: 1_000 } },
      recentNonTransactional: full,
    };

    test('1. a removed step is cancelled before anything else', () => {
      assert.deepEqual(run({ ...everything, step: null }), {
        kind: 'cancel',
        reason: { code: 'step_removed', detail: null },
      });
    });

    test('1. an exit moment is cancelled before anything else', () => {
      const decision = run({
        ...everything,
        step: { ...everything.step, cancelOn: ['delivered'] },
        order: { moments: { placed: NOW - 9 * DAY, delivered: NOW - DAY } },
      });
      assert.deepEqual(decision, { kind: 'cancel', reason: { code: 'exit_moment', detail: 'delivered' } });
    });

    test('2. consent before holdout', () => {
      assert.deepEqual(run(everything), { kind: 'skip', reason: 'unsubscribed' });
    });

    test('3. holdout before conditions', () => {
      assert.deepEqual(run({ ...everything, customer: { openConcerns: 1 } }), {
        kind: 'skip',
        reason: 'holdout',
      });
    });

    test('4. conditions before no-selling', () => {
      assert.deepEqual(run({ ...everything, customer: { openConcerns: 1 }, enrollment: {} }), {
        kind: 'skip',
        reason: 'condition_not_met',
      });
    });

    test('5-7. preferences, then an open concern, then the survey throttle', () => {
      const offer = { ...everything, customer: { openConcerns: 1 }, enrollment: {}, step: {} };
      const offersOff = {
        openConcerns: 1,
        preferences: { topicsOff: ['offers' as const], channelsOff: [], pausedUntil: null },
      };
      assert.deepEqual(run({ ...offer, customer: offersOff }), {
        kind: 'skip',
        reason: 'opted_out',
        detail: 'topic offers switched off',
      });
      assert.deepEqual(run(offer), { kind: 'skip', reason: 'concern_open', detail: '1 open concern' });
      const survey: ContextOverrides = {
        step: { key: 'checkin-week', survey: 'csat' },
        recentSurveys: [{ at: NOW - DAY, stepKey: 'arrival-survey', survey: 'nps' }],
        customer: { awaitingPersonSince: NOW - HOUR },
      };
      assert.equal(run({ ...survey, customer: { openConcerns: 1 } }).kind, 'skip');
      assert.deepEqual(run(survey), {
        kind: 'skip',
        reason: 'survey_throttled',
        detail: 'nps survey arrival-survey sent 2026-06-09 14:00 UTC',
      });
    });

    test('8. no-selling before the pause, a waiting reply, timing and the cap', () => {
      const paused = { preferences: { topicsOff: [], channelsOff: [], pausedUntil: NOW + DAY } };
      const offer = { ...everything, customer: paused, enrollment: {}, step: {} };
      assert.deepEqual(run(offer), { kind: 'skip', reason: 'not_delivered' });
    });

    test('9-10. the pause, then a reply awaiting a person, both settled into the send window', () => {
      const paused = { topicsOff: [], channelsOff: [], pausedUntil: Date.UTC(2026, 5, 12, 3) };
      const waiting = { awaitingPersonSince: late - HOUR };
      assert.deepEqual(run({ now: late, customer: { ...waiting, preferences: paused } }), {
        kind: 'defer',
        until: Date.UTC(2026, 5, 12, 9),
        reason: 'paused',
      });
      assert.deepEqual(run({ now: late, customer: waiting, recentNonTransactional: full }), {
        kind: 'defer',
        until: Date.UTC(2026, 5, 12, 9),
        reason: 'awaiting_person',
      });
    });

    test('11. timing before the cap', () => {
      assert.deepEqual(run({ now: late, recentNonTransactional: full }), {
        kind: 'defer',
        until: Date.UTC(2026, 5, 11, 9),
        reason: 'quiet_hours',
      });
    });

    test('12. the cap last', () => {
      assert.deepEqual(run({ recentNonTransactional: full }), {
        kind: 'defer',
        until: NOW + DAY,
        reason: 'frequency_cap',
      });
      assert.deepEqual(
        run({
          purpose: 'offer',
          recentNonTransactional: full,
          order: { moments: { delivered: NOW - 30 * DAY } },
        }),
        {
          kind: 'skip',
          reason: 'frequency_cap',
        },
      );
    });
  });

  test('transactional goes to unsubscribed holdout customers with a full cap (in waking hours)', () => {
    const ctx: ContextOverrides = {
      purpose: 'transactional',
      customer: { unsubscribedAt: NOW - DAY },
      enrollment: { holdout: true },
      recentNonTransactional: full,
    };
    assert.deepEqual(run(ctx), { kind: 'send' });
    assert.equal(run({ ...ctx, now: late }).kind, 'defer');
  });

  test('an early offer waits for delivered + 21 days, then for the end of quiet hours', () => {
    // Delivered at 23:00 UTC: 21 days later is still night, so the offer waits for 09:00.
    const delivered = Date.UTC(2026, 5, 1, 23);
    const decision = run({
      purpose: 'offer',
      order: { moments: { placed: delivered - 3 * DAY, delivered } },
    });
    assert.deepEqual(decision, { kind: 'defer', until: Date.UTC(2026, 5, 23, 9), reason: 'offer_too_soon' });
  });

  test('a cap deferral that frees at night is moved to the morning', () => {
    const sends = [Date.UTC(2026, 5, 3, 21), NOW - 2 * DAY, NOW - HOUR];
    assert.deepEqual(run({ recentNonTransactional: sends }), {
      kind: 'defer',
      until: Date.UTC(2026, 5, 11, 9),
      reason: 'frequency_cap',
    });
  });

  test('each channel follows its timing rule', () => {
    const saturday = Date.UTC(2026, 5, 13, 12); // Saturday noon, not quiet, business closed
    assert.deepEqual(run({ now: saturday, channel: 'email' }), { kind: 'send' });
    assert.deepEqual(run({ now: saturday, channel: 'sms' }), { kind: 'send' });
    assert.deepEqual(run({ now: saturday, channel: 'webhook' }), { kind: 'send' });
    for (const channel of ['task:call', 'task:meeting', 'task:letter', 'task:gift'] as const) {
      assert.deepEqual(
        run({ now: saturday, channel }),
        { kind: 'defer', until: Date.UTC(2026, 5, 15, 9), reason: 'business_hours' },
        channel,
      );
    }
    assert.deepEqual(run({ now: late, channel: 'webhook' }), { kind: 'send' });
    assert.deepEqual(run({ now: late, channel: 'task:letter' }), { kind: 'send' }); // a business day
    assert.equal(run({ now: late, channel: 'task:call' }).kind, 'defer');
  });

  test("calls follow the customer's zone, letters the business's", () => {
    const ctx: ContextOverrides = {
      now: Date.UTC(2026, 5, 12, 20), // Friday 20:00 UTC = Saturday 08:00 in Auckland
      customer: { timezone: 'Pacific/Auckland' },
    };
    const call = run({ ...ctx, channel: 'task:call' });
    assert.equal(
      call.kind === 'defer' && toLocalIso(call.until, 'Pacific/Auckland'),
      '2026-06-15T09:00:00.000+12:00',
    );
    assert.deepEqual(run({ ...ctx, channel: 'task:letter' }), { kind: 'send' });
  });

  test('an invalid customer zone falls back to the default zone', () => {
    const berlin = { ...config, defaultTimezone: 'Europe/Berlin' };
    const at = Date.UTC(2026, 5, 10, 6, 30); // 08:30 in Berlin: still quiet; 06:30 UTC would be too
    const decision = decide(aContext({ now: at, customer: { timezone: 'Not/AZone' } }), berlin);
    assert.deepEqual(decision, { kind: 'defer', until: Date.UTC(2026, 5, 10, 7), reason: 'quiet_hours' });
  });

  test('skip and defer reasons come from the registries', () => {
    const decisions = [
      run({ customer: { unsubscribedAt: NOW } }),
      run({ now: late }),
      run({ purpose: 'offer' }),
      run({ recentNonTransactional: full }),
    ];
    for (const d of decisions) {
      if (d.kind === 'skip') assert.ok((SKIP_REASONS as readonly string[]).includes(d.reason));
      else if (d.kind === 'defer') assert.ok((DEFER_REASONS as readonly string[]).includes(d.reason));
      else assert.fail(`unexpected ${d.kind}`);
    }
  });

  describe('deferrals land where they are not deferred again (DST zones, 2026-2027)', () => {
    const zones = ['Pacific/Auckland', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe'];
    const from = Date.UTC(2026, 0, 1);
    const to = Date.UTC(2028, 0, 1);
    for (const zone of zones) {
      test(zone, () => {
        // Every 37 minutes over two years hits every time of day and weekday, DST days included.
        for (let now = from; now < to; now += 37 * 60_000) {
          for (const channel of ['email', 'task:call'] as const) {
            const overrides: ContextOverrides = { now, channel, customer: { timezone: zone } };
            const decision = run(overrides);
            if (decision.kind === 'send') continue;
            assert.equal(decision.kind, 'defer');
            if (decision.kind !== 'defer') return;
            assert.ok(decision.until > now);
            assert.ok(decision.until - now <= 4 * DAY, `${channel} at ${toLocalIso(now, zone)}`);
            // Both rules open at 09:00 local (later only when 09:00 itself was skipped by DST).
            const local = localParts(decision.until, zone);
            assert.ok(local.hour * 60 + local.minute >= 9 * 60, toLocalIso(decision.until, zone));
            assert.deepEqual(
              run({ ...overrides, now: decision.until }),
              { kind: 'send' },
              toLocalIso(decision.until, zone),
            );
          }
        }
      });
    }
  });

  test('quiet hours ending on a DST morning, through decide (New York, spring)', () => {
    const now = fromLocal({ year: 2026, month: 3, day: 8, hour: 1, minute: 30 }, 'America/New_York');
    const decision = run({ now, customer: { timezone: 'America/New_York' } });
    assert.deepEqual(decision, { kind: 'defer', until: Date.UTC(2026, 2, 8, 13), reason: 'quiet_hours' });
  });
});

// The escalation sweep over a small in-memory store of the two port methods it uses (the SQL
// stores come with the listening branch), with the real notifier: e-mail to an SMTP server and
// signed webhooks to an HTTP server, both on 127.0.0.1.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { DestinationGuard } from '../../channels/destinationGuard.js';
import { createEmailChannel } from '../../channels/email.js';
import { createEscalationNotifier } from '../../channels/notify.js';
import { httpReceiver, smtpReceiver } from '../../channels/staffServers.test-helpers.js';
import type { Millis } from '../../core/domain.js';
import { ladderRules, type Ladder } from '../../core/listening/ladder.js';
import { DEFAULT_SLA } from '../../core/listening/ladderFile.js';
import type { Concern, Severity } from '../../core/listening/types.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../core/playbook/duration.js';
import type { ListeningStore } from '../../store/ports/listening.js';
import { escalationJob, escalationSweep, type EscalationWarning } from './escalation.js';
import { recordingNotifier } from './notifier.js';

const SECRET = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
const T0 = Date.UTC(2026, 4, 4, 7, 0); // Monday 4 May 2026

const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of closers) await close();
});

/** The two port methods, as the SQL stores are meant to keep them. */
class Concerns implements Pick<ListeningStore, 'dueEscalations' | 'escalate'> {
  readonly rows = new Map<string, Concern>();
  reads = 0;

  dueEscalations(now: Millis, limit: number): Promise<Concern[]> {
    this.reads++;
    const due = [...this.rows.values()]
      .filter((c) => c.status !== 'resolved' && c.nextEscalationAt !== null && c.nextEscalationAt <= now)
      .sort((a, b) => (a.nextEscalationAt ?? 0) - (b.nextEscalationAt ?? 0) || a.id.localeCompare(b.id));
    return Promise.resolve(due.slice(0, limit).map((c) => structuredClone(c)));
  }

  escalate(concern: Concern, expected: { level: number }): Promise<boolean> {
    const stored = this.rows.get(concern.id);
    if (!stored || stored.status === 'resolved' || stored.level !== expected.level)
      return Promise.resolve(false);
    this.rows.set(concern.id, structuredClone(concern));
    return Promise.resolve(true);
  }

  get(id: string): Concern {
    const concern = this.rows.get(id);
    assert.ok(concern, id);
    return concern;
  }
}

async function world(
  options: {
    ladder?: (webhookUrl: string) => Ladder;
    answer?: () => number;
    refuseMail?: () => boolean;
  } = {},
) {
  const smtp = await smtpReceiver(options.refuseMail);
  const http = await httpReceiver(options.answer);
  const email = createEmailChannel({
    smtpUrl: smtp.url,
    outboxDir: '/nonexistent',
    from: 'care@lumen.example',
  });
  closers.push(
    () => smtp.close(),
    () => http.close(),
    () => email.close?.() ?? Promise.resolve(),
  );
  const hook = `${http.url}/services/T0LUMEN/B0CARE/token`;
  const ladder: Ladder = options.ladder?.(hook) ?? {
    levels: [
      { name: 'rep', notify: [] },
      { name: 'manager', notify: [{ kind: 'email', address: 'priya.nair@lumen.example' }] },
      {
        name: 'owner',
        notify: [
          { kind: 'email', address: 'founder@lumen.example' },
          { kind: 'webhook', url: hook },
        ],
      },
    ],
    sla: { ...DEFAULT_SLA },
    workingHours: null,
    source: 'built-in',
  };
  const notifier = createEscalationNotifier({
    email,
    messageDomain: 'lumen.example',
    guard: new DestinationGuard({ allow: ['127.0.0.1'] }),
    webhookSecret: SECRET,
    zone: 'Asia/Kolkata',
  });
  const store = new Concerns();
  const warnings: EscalationWarning[] = [];
  const rules = ladderRules(ladder);
  /** Opens a concern the way the listener does: owner and first timer from the ladder. */
  const open = (
    id: string,
    severity: Severity,
    openedAt: Millis,
    overrides: Partial<Concern> = {},
  ): Concern => {
    const concern: Concern = {
      id,
      customerId: `cus_${id}`,
      orderId: `ord_${id}`,
      source: 'survey',
      severity,
      summary: `Concern ${id}`,
      status: 'open',
      level: 0,
      owner: rules.ownerAt(0),
      openedAt,
      acknowledgedAt: null,
      resolvedAt: null,
      resolution: null,
      escalations: [],
      nextEscalationAt: null,
      sourceEventId: `evt_${id}`,
      ...overrides,
    };
    concern.nextEscalationAt = rules.deadline(concern);
    store.rows.set(id, concern);
    return concern;
  };
  const parts = { store, ladder, notifier, onWarning: (w: EscalationWarning) => warnings.push(w) };
  return { smtp, http, store, warnings, open, parts, ladder };
}

describe('the escalation sweep', () => {
  test('a clock jump of 5 days climbs rep -> manager -> owner, each climb dated when its SLA passed', async () => {
    const w = await world();
    w.open('medium-eur', 'medium', T0);
    w.open('low-inr', 'low', T0 + 2 * HOUR_MS);
    // Acknowledged within the hour by a rep, but not resolved within the day.
    w.open('high-b2b', 'high', T0, {
      status: 'acknowledged',
      owner: 'Meera',
      acknowledgedAt: T0 + 40 * MINUTE_MS,
    });
    w.open('resolved', 'critical', T0, { status: 'resolved', resolvedAt: T0 + 30 * MINUTE_MS });
    w.open('fresh', 'critical', T0 + 5 * DAY_MS - 30 * MINUTE_MS);

    const report = await escalationSweep({ ...w.parts, now: T0 + 5 * DAY_MS });

    assert.deepEqual(w.store.get('medium-eur').escalations, [
      { level: 1, at: T0 + DAY_MS },
      { level: 2, at: T0 + 2 * DAY_MS },
    ]);
    assert.deepEqual(w.store.get('low-inr').escalations, [
      { level: 1, at: T0 + 2 * HOUR_MS + 2 * DAY_MS },
      { level: 2, at: T0 + 2 * HOUR_MS + 4 * DAY_MS },
    ]);
    assert.deepEqual(w.store.get('high-b2b').escalations, [
      { level: 1, at: T0 + DAY_MS },
      { level: 2, at: T0 + DAY_MS + 4 * HOUR_MS },
    ]);
    for (const id of ['medium-eur', 'low-inr', 'high-b2b']) {
      const concern = w.store.get(id);
      assert.equal(concern.level, 2);
      assert.equal(concern.owner, 'owner');
      assert.equal(concern.status, 'open');
      assert.equal(concern.nextEscalationAt, null);
    }
    assert.equal(w.store.get('resolved').level, 0);
    assert.equal(w.store.get('fresh').level, 0);
    assert.equal(w.store.get('fresh').nextEscalationAt, T0 + 5 * DAY_MS + 30 * MINUTE_MS);
    assert.deepEqual(report.heldBack, []);
    assert.equal(report.escalated.length, 6);

    // The manager got three mails, the founder three mails and the chat three signed posts.
    const subjects = (to: string) =>
      w.smtp.mails
        .filter((m) => m.to[0] === to)
        .map((m) => m.parsed.subject)
        .sort();
    assert.deepEqual(subjects('priya.nair@lumen.example'), [
      '[Escalated to manager] high concern: Concern high-b2b',
      '[Escalated to manager] low concern: Concern low-inr',
      '[Escalated to manager] medium concern: Concern medium-eur',
    ]);
    assert.equal(subjects('founder@lumen.example').length, 3);
    const posts = w.http.hits.map(
      (hit) =>
        new Webhook(SECRET).verify(hit.body, hit.headers as Record<string, string>) as {
          data: Record<string, unknown>;
        },
    );
    assert.deepEqual(posts.map((p) => [p.data.concernId, p.data.escalatedAt, p.data.reason]).sort(), [
      ['high-b2b', new Date(T0 + DAY_MS + 4 * HOUR_MS).toISOString(), 'not_acknowledged'],
      ['low-inr', new Date(T0 + 2 * HOUR_MS + 4 * DAY_MS).toISOString(), 'not_acknowledged'],
      ['medium-eur', new Date(T0 + 2 * DAY_MS).toISOString(), 'not_acknowledged'],
    ]);
    const managerMail = w.smtp.mails.find(
      (m) => m.parsed.subject?.includes('high-b2b') && m.to[0] === 'priya.nair@lumen.example',
    );
    assert.match(managerMail?.parsed.text ?? '', /was acknowledged but not resolved in time by rep/);

    // Nothing is due any more: a second sweep does nothing.
    const again = await escalationSweep({ ...w.parts, now: T0 + 5 * DAY_MS });
    assert.deepEqual(again, { escalated: [], heldBack: [], stale: [], cleared: [] });
  });

  test('run periodically, it climbs one level at each passed deadline', async () => {
    const w = await world();
    w.open('critical-gbp', 'critical', T0);
    const job = escalationJob({ ...w.parts, everyMs: MINUTE_MS });
    assert.equal(job.name, 'escalation');
    assert.deepEqual((await job.run(T0 + 59 * MINUTE_MS)).escalated, []);
    assert.deepEqual((await job.run(T0 + 61 * MINUTE_MS)).escalated, [
      { concernId: 'critical-gbp', level: 1, at: T0 + HOUR_MS },
    ]);
    assert.equal(w.store.get('critical-gbp').owner, 'manager');
    assert.equal(w.smtp.mails.length, 1);
    assert.deepEqual((await job.run(T0 + 119 * MINUTE_MS)).escalated, []);
    assert.deepEqual((await job.run(T0 + 121 * MINUTE_MS)).escalated, [
      { concernId: 'critical-gbp', level: 2, at: T0 + 2 * HOUR_MS },
    ]);
    assert.deepEqual((await job.run(T0 + DAY_MS)).escalated, []);
  });

  test('a notice that cannot be delivered yet holds the climb back; the next sweep repeats it with the same id', async () => {
    let mailDown = true;
    const w = await world({ refuseMail: () => mailDown });
    w.open('critical-usd', 'critical', T0);
    const first = await escalationSweep({ ...w.parts, now: T0 + 90 * MINUTE_MS });
    assert.deepEqual(first.heldBack, [{ concernId: 'critical-usd', level: 1 }]);
    assert.equal(w.store.get('critical-usd').level, 0);
    assert.deepEqual(
      w.warnings.map((x) => [x.concernId, x.outcome, x.failures[0]?.kind, x.failures[0]?.target]),
      [['critical-usd', 'held_back', 'retryable', 'email priya.nair@lumen.example']],
    );
    mailDown = false;
    const second = await escalationSweep({ ...w.parts, now: T0 + 100 * MINUTE_MS });
    // Dated when the SLA passed, not when the mail finally went out.
    assert.deepEqual(second.escalated, [{ concernId: 'critical-usd', level: 1, at: T0 + HOUR_MS }]);
    assert.equal(w.store.get('critical-usd').nextEscalationAt, T0 + 2 * HOUR_MS);
    assert.equal(w.smtp.mails.length, 1);
  });

  test('when a whole round cannot be delivered, the sweep stops there until the next run', async () => {
    let mailDown = true;
    const w = await world({ refuseMail: () => mailDown });
    for (const [index, id] of ['a', 'b', 'c', 'd', 'e'].entries())
      w.open(id, 'critical', T0 + index * MINUTE_MS);
    const first = await escalationSweep({ ...w.parts, limit: 2, now: T0 + 90 * MINUTE_MS });
    assert.deepEqual(
      first.heldBack.map((h) => h.concernId),
      ['a', 'b'],
    );
    assert.equal(w.store.reads, 1);
    mailDown = false;
    const second = await escalationSweep({ ...w.parts, limit: 2, now: T0 + 91 * MINUTE_MS });
    assert.deepEqual(
      second.escalated.map((e) => [e.concernId, e.at]),
      ['a', 'b', 'c', 'd', 'e'].map((id, index) => [id, T0 + HOUR_MS + index * MINUTE_MS]),
    );
  });

  test('a target that refuses for good is reported, and the concern climbs anyway', async () => {
    const w = await world({ answer: () => 410 });
    w.open('medium-jpy', 'medium', T0, { level: 1, owner: 'manager', escalations: [{ level: 1, at: T0 }] });
    const report = await escalationSweep({ ...w.parts, now: T0 + 2 * DAY_MS });
    assert.deepEqual(report.escalated, [{ concernId: 'medium-jpy', level: 2, at: T0 + DAY_MS }]);
    assert.deepEqual(
      w.warnings.map((x) => [x.outcome, x.failures.map((f) => [f.kind, f.code])]),
      [['climbed', [['permanent', 'HTTP_410']]]],
    );
    assert.equal(w.smtp.mails[0]?.to[0], 'founder@lumen.example');
  });

  test('a concern resolved while its notice was out is left resolved', async () => {
    let store: Concerns | null = null;
    const w = await world({
      answer: () => {
        // The owner resolves it from the chat message before the climb is stored.
        const concern = store?.get('high-chf');
        if (concern)
          store?.rows.set(concern.id, {
            ...concern,
            status: 'resolved',
            resolvedAt: T0 + 5 * HOUR_MS,
            nextEscalationAt: null,
          });
        return 200;
      },
    });
    store = w.store;
    w.open('high-chf', 'high', T0, { level: 1, owner: 'manager', escalations: [{ level: 1, at: T0 }] });
    const report = await escalationSweep({ ...w.parts, now: T0 + 5 * HOUR_MS });
    assert.deepEqual(report.stale, ['high-chf']);
    assert.deepEqual(report.escalated, []);
    const concern = w.store.get('high-chf');
    assert.equal(concern.status, 'resolved');
    assert.equal(concern.level, 1);
  });

  test('more due than one read takes: it reads again until nothing is due', async () => {
    const w = await world();
    for (const [index, id] of ['a', 'b', 'c', 'd', 'e'].entries())
      w.open(id, 'critical', T0 + index * MINUTE_MS);
    const report = await escalationSweep({ ...w.parts, limit: 2, now: T0 + 90 * MINUTE_MS });
    assert.deepEqual(
      report.escalated.map((e) => e.concernId),
      ['a', 'b', 'c', 'd', 'e'],
    );
    assert.ok(w.store.reads >= 3);
  });

  test('a timer with nowhere left to climb (the ladder was shortened) is cleared without a notice', async () => {
    const w = await world({
      ladder: () => ({
        levels: [
          { name: 'support', notify: [] },
          { name: 'head of care', notify: [{ kind: 'email', address: 'head@lumen.example' }] },
        ],
        sla: { ...DEFAULT_SLA },
        workingHours: null,
        source: 'ladder.yaml',
      }),
    });
    w.store.rows.set('old', {
      ...w.open('old', 'low', T0),
      level: 1,
      owner: 'manager',
      escalations: [{ level: 1, at: T0 }],
      nextEscalationAt: T0 + 2 * DAY_MS,
    });
    const report = await escalationSweep({ ...w.parts, now: T0 + 3 * DAY_MS });
    assert.deepEqual(report.cleared, ['old']);
    assert.equal(w.store.get('old').nextEscalationAt, null);
    assert.equal(w.smtp.mails.length, 0);
  });

  test('simulate: a recording notifier keeps what would have been sent and lets the concern climb', async () => {
    const w = await world();
    w.open('sim', 'high', T0);
    const notifier = recordingNotifier();
    const report = await escalationSweep({ ...w.parts, notifier, now: T0 + DAY_MS });
    assert.deepEqual(
      report.escalated.map((e) => [e.level, e.at]),
      [
        [1, T0 + 4 * HOUR_MS],
        [2, T0 + 8 * HOUR_MS],
      ],
    );
    assert.deepEqual(
      notifier.notices.map((n) => [n.id, n.levelName, n.targets.length]),
      [
        ['escalation:sim:1', 'manager', 1],
        ['escalation:sim:2', 'owner', 2],
      ],
    );
    assert.equal(w.smtp.mails.length + w.http.hits.length, 0);
  });
});

// The closed loop end to end on the virtual clock, the way it happens: Jonas (B2B, Berlin) opens
// the survey link of a real e-mail and rates his satisfaction 1 of 5 with a comment. The running worker hears it at
// once (intake wakes it): a concern with a rep's call task. Nobody acknowledges it; the SLA passes
// on the virtual clock and the manager is told by e-mail through the real SMTP server. The rest of
// the program holds back while the concern is open. The rep completes the call over the API as
// resolved, and the concern closes with its timer.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DateTime } from 'luxon';
import type { Concern } from '../../src/core/listening/types.js';
import type { WorkerHandle } from '../../src/engine/worker.js';
import { DAY, HOUR } from './harness.js';
import { JONAS, openPublicWorld, type PublicWorld } from './publicWorld.js';

const JONAS_ID = 'cus-DE-2001';
let w: PublicWorld;
let worker: WorkerHandle;
const errors: string[] = [];

before(async () => {
  w = await openPublicWorld();
  worker = await w.t.composed.startWorker({
    onError: (where, error) => errors.push(`${where}: ${String(error)}`),
  });
});
after(async () => {
  await worker.stop();
  await w.close();
});

async function eventually<T>(what: string, read: () => Promise<T | null | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (value !== null && value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function concernsOf(customerId: string): Promise<Concern[]> {
  return w.t.composed.commands.concerns.list({ customerId });
}

describe('the closed loop, end to end', () => {
  test('the lowest score from a real e-mail becomes a concern, a task, an escalation and a resolution', async () => {
    const survey = w.local(w.link(JONAS, '/s/', 'checkin-week'));
    const answered = await fetch(survey, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ score: '1', comment: 'Zwei Panels kamen zerbrochen an' }).toString(),
    });
    assert.equal(answered.status, 200);

    // Heard by the running worker, woken by intake: no one called the listener.
    const [concern] = await eventually('the concern', async () => {
      const found = await concernsOf(JONAS_ID);
      return found.length > 0 ? found : null;
    });
    assert.equal(concern!.source, 'survey');
    assert.equal(concern!.severity, 'high');
    assert.match(concern!.summary, /zerbrochen/);
    assert.equal(concern!.owner, 'rep');
    const opened = w.t.clock.now();
    // The built-in ladder: a high concern is to be acknowledged within 4 hours.
    assert.equal(concern!.nextEscalationAt, opened + 4 * HOUR);

    const [task] = await w.t.composed.commands.tasks
      .list({ customerId: JONAS_ID, status: 'open' })
      .then((all) => all.filter((t) => t.concernId === concern!.id));
    assert.ok(task, 'a task for a person, at once');
    assert.equal(task.kind, 'call');
    assert.match(task.script, /zerbrochen/);
    assert.match(task.script, /Temperature: \d+\/100/);
    const jonas = (await w.t.composed.commands.customers.get(JONAS_ID))!;
    assert.equal(jonas.openConcerns, 1);
    assert.ok(jonas.temperature < 50);
    // His plan says, in German, that a person has what he told us (not the reps' wording).
    const plan = w.local(w.link(JONAS, '/plan/'));
    const planPage = await (await fetch(plan)).text();
    assert.match(planPage, /Was Sie uns gesagt haben/);
    assert.match(planPage, /Ein Mensch meldet sich dazu bei Ihnen/);
    assert.ok(!planPage.includes('zerbrochen') && !planPage.includes('CSAT'));

    // Nobody acknowledges: five hours on, the sweep climbs it and the manager hears by e-mail.
    w.t.clock.set(opened + 5 * HOUR);
    const sweep = await worker.runJob('escalation');
    assert.equal(sweep?.ran, true);
    const climbed = (await w.t.composed.commands.concerns.get(concern!.id))!;
    assert.equal(climbed.level, 1);
    assert.equal(climbed.owner, 'manager');
    assert.deepEqual(climbed.escalations, [{ level: 1, at: opened + 4 * HOUR }]);
    const notices = (await w.later()).filter((m) => m.to === 'dana@lumen.example');
    assert.equal(notices.length, 1, 'the built-in ladder tells AFTERCARE_ESCALATION_EMAIL');
    assert.match(notices[0]!.parsed.text ?? '', /zerbrochen/);
    assert.equal(notices[0]!.parsed.headers.get('auto-submitted'), 'auto-generated');

    // The program holds back its offers, education and surveys while the concern is open.
    w.t.clock.set(opened + 25 * DAY);
    worker.dispatcher.wake();
    const held = await eventually('a step held back by the concern', async () => {
      const touchPoints = await w.t.composed.commands.customers.touchPoints(JONAS_ID);
      return touchPoints?.find((tp) => tp.status === 'skipped' && tp.reason?.code === 'concern_open');
    });
    assert.notEqual(held.purpose, 'transactional');

    // The rep calls and solves it; completing the task over the API resolves the concern.
    const completed = await fetch(`${w.base}/api/v1/tasks/${encodeURIComponent(task.id)}/complete`, {
      method: 'POST',
      headers: { ...w.t.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'resolved', notes: 'Zwei neue Panels per Express verschickt' }),
    });
    assert.equal(completed.status, 200);
    const resolved = (await w.t.composed.commands.concerns.get(concern!.id))!;
    assert.equal(resolved.status, 'resolved');
    assert.equal(resolved.resolution, 'Zwei neue Panels per Express verschickt');
    assert.equal(resolved.nextEscalationAt, null);
    assert.equal((await w.t.composed.commands.customers.get(JONAS_ID))!.openConcerns, 0);
    assert.doesNotMatch(await (await fetch(plan)).text(), /Was Sie uns gesagt haben/);

    // Planned from the resolution, not the order: three days later at 10:00 in Berlin, a mail
    // asks whether it is really put right. It goes out when due, and its unsubscribe works.
    const fixCheck = await eventually('the follow-up', async () =>
      (await w.t.composed.commands.customers.touchPoints(JONAS_ID))?.find((tp) => tp.stepKey === 'fix-check'),
    );
    assert.equal(fixCheck.status, 'scheduled');
    assert.equal(fixCheck.purpose, 'reassurance');
    const berlin = DateTime.fromMillis(fixCheck.dueAt, { zone: 'Europe/Berlin' });
    assert.equal(berlin.toFormat('HH:mm'), '10:00');
    const resolvedDay = DateTime.fromMillis(resolved.resolvedAt!, { zone: 'Europe/Berlin' }).startOf('day');
    assert.equal(berlin.startOf('day').diff(resolvedDay, 'days').days, 3);
    w.t.clock.set(fixCheck.dueAt + HOUR);
    worker.dispatcher.wake();
    const mail = await eventually('the follow-up mail', async () =>
      (await w.later()).find(
        (m) => m.to === JONAS && /Ist jetzt alles in Ordnung/.test(m.parsed.subject ?? ''),
      ),
    );
    assert.match(mail.parsed.text ?? '', /haben wir das Problem rund um .* behoben/s);
    const header = mail.parsed.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '';
    const unsubscribe = /<([^>]+)>/.exec(header.replace(/\r\n[ \t]+/g, ' '))?.[1];
    assert.ok(unsubscribe, 'a reassurance mail carries List-Unsubscribe');
    const oneClick = await fetch(w.local(unsubscribe), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    assert.equal(oneClick.status, 200);
    assert.deepEqual(errors, []);
  });
});

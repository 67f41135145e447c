// A shop that has sent its first mail: the app as `serve` builds it (SQLite, virtual clock,
// inbox drain running), an order taken over the API, the production dispatcher run until the
// thank-you went to the outbox, and that message read back, so replies can answer it.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { StoredEvent } from '../../src/core/domain.js';
import { DAY, T0, dispatcherFor, openTestApp, orderBody, type TestApp } from '../http/harness.js';

export interface SentMail {
  customerId: string;
  touchPointId: string;
  messageId: string;
  subject: string;
}

export async function shopWithSentMail(
  env: Record<string, string>,
  store: 'sqlite' | 'postgres' = 'sqlite',
): Promise<{ t: TestApp; sent: SentMail }> {
  const t = await openTestApp({ AFTERCARE_SUPPORT_EMAIL: 'care@lumen.example', ...env }, { store });
  await t.app.ready();
  const posted = await t.call({ method: 'POST', url: '/api/v1/orders', payload: orderBody('LUM-1001') });
  assert.equal(posted.statusCode, 201, posted.body);
  const customerId = posted.json<{ results: { customerId: string }[] }>().results[0]!.customerId;
  const { dispatcher, outcomes, channels } = dispatcherFor(t);
  try {
    t.clock.set(T0 + 2 * DAY);
    await dispatcher.runUntilIdle();
  } finally {
    await channels.close();
  }
  const sentEmail = outcomes.find((o) => o.outcome.kind === 'sent' && o.touchPoint.channel === 'email');
  assert.ok(sentEmail, 'the thank-you was sent');
  // The Message-ID as it went out, read from the .eml in the outbox.
  const files = (await readdir(t.config.outboxDir)).filter((name) => name.endsWith('.eml'));
  assert.ok(files.length >= 1);
  for (const file of files) {
    const mail = await simpleParser(await readFile(join(t.config.outboxDir, file)));
    const header = mail.headers.get('x-aftercare-touch-point');
    if (header === sentEmail.touchPoint.id)
      return {
        t,
        sent: {
          customerId,
          touchPointId: sentEmail.touchPoint.id,
          messageId: mail.messageId ?? '',
          subject: mail.subject ?? '',
        },
      };
  }
  throw new Error('the sent message is not in the outbox');
}

/** Polls until the drain has stored a reply for the customer (or fails after `ms`). */
export async function replyOf(t: TestApp, customerId: string, count = 1, ms = 8000): Promise<StoredEvent[]> {
  const until = Date.now() + ms;
  for (;;) {
    const events = await t.store.reads.listEvents(customerId, ['reply.received']);
    if (events.length >= count) return events;
    if (Date.now() > until) assert.fail(`no reply.received after ${ms} ms (${events.length} of ${count})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Polls until the inbox is empty: everything appended went through the drain. */
export async function drained(t: TestApp, ms = 8000): Promise<void> {
  const until = Date.now() + ms;
  while ((await t.store.inbox.inboxDepth()) > 0) {
    if (Date.now() > until) assert.fail('the inbox did not drain');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// The serve and worker logs carry ids only: an order taken over the API, a real send over SMTP,
// a task for a person (whose title names the customer) and a send the SMTP server refuses
// quoting the recipient, all logged through the logger `serve` and `worker` build, and not one
// name, e-mail address, phone number, subject or task title in what was written.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { createLogger, outcomeLogger } from '../../src/cli/logging.js';
import { Metrics } from '../../src/http/metrics.js';
import { DAY, T0, dispatcherFor, openTestApp, orderBody } from '../http/harness.js';

const REFUSED = 'grace.hopper@example.org';

async function smtpRefusing(address: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onRcptTo(rcpt, _session, callback) {
      if (rcpt.address !== address) return callback();
      // Real servers quote the recipient in their refusal.
      const error = Object.assign(new Error(`5.1.1 <${address}>: Recipient address rejected: User unknown`), {
        responseCode: 550,
      });
      callback(error);
    },
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => callback());
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

test('an order, a send, a task and a refused send leave ids in the log, nothing personal', async () => {
  const t = await openTestApp();
  const smtp = await smtpRefusing(REFUSED);
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const log = createLogger('debug', { worker: 'log-test' }, sink);
  const app = await t.composed.buildHttp({ logger: log, metrics: new Metrics({ processMetrics: false }) });
  try {
    // Ada's order is large enough for a handwritten letter: a task titled with her name.
    const ada = orderBody('LOG-1', { total: 1299.5, currency: 'USD' });
    const grace = orderBody('LOG-2', {
      customer: { email: REFUSED, firstName: 'Grace', lastName: 'Hopper', phone: '+1 212 555 0147' },
      currency: 'USD',
    });
    for (const payload of [ada, grace]) {
      const answer = await app.inject({ method: 'POST', url: '/api/v1/orders', headers: t.auth, payload });
      assert.equal(answer.statusCode, 201, answer.body);
    }
    const { dispatcher, outcomes, channels } = dispatcherFor(t, smtp.url);
    try {
      t.clock.set(T0 + 2 * DAY);
      await dispatcher.runUntilIdle();
    } finally {
      await channels.close();
    }
    const logOutcome = outcomeLogger(log, t.clock, 'Europe/London');
    for (const report of outcomes) logOutcome(report);
    const failure = outcomes.find((o) => o.outcome.kind === 'failed');
    assert.ok(failure, 'the refused send failed');
    log.error({ err: new Error(`550 5.1.1 <${REFUSED}>: Recipient address rejected`) }, 'channel error');

    const outcomesLogged = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.outcome);
    const kinds = new Set(outcomesLogged.map((l) => `${String(l.outcome)} ${String(l.channel)}`));
    for (const kind of ['sent email', 'sent task:letter', 'failed email']) assert.ok(kinds.has(kind), kind);
    const all = lines.join('\n').toLowerCase();
    for (const personal of [
      'ada',
      'lovelace',
      'ada.lovelace@example.com',
      'grace',
      'hopper',
      'example.org',
      '7946',
      '555 0147',
      'thank you for your order',
      'handwritten',
    ]) {
      assert.equal(all.includes(personal), false, `"${personal}" in the log:\n${lines.join('\n')}`);
    }
  } finally {
    await app.close();
    await smtp.close();
    await t.close();
  }
});

// The classification table, on errors shaped the way nodemailer and Node shape them (the email
// channel tests produce the same errors from a real server).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifySmtpError, kindOfReply, toChannelError } from './smtpErrors.js';
import { ChannelError } from './port.js';

const error = (fields: Record<string, unknown>, text = 'whatever'): Error =>
  Object.assign(new Error(text), fields);

test('SMTP replies: 4xx retryable, 5xx permanent, 503 retryable', () => {
  assert.equal(kindOfReply(421), 'retryable');
  assert.equal(kindOfReply(451), 'retryable');
  assert.equal(kindOfReply(452), 'retryable');
  assert.equal(kindOfReply(550), 'permanent');
  assert.equal(kindOfReply(552), 'permanent');
  assert.equal(kindOfReply(554), 'permanent');
  assert.equal(kindOfReply(503), 'retryable');
});

test('the reply code decides over the error code', () => {
  assert.deepEqual(classifySmtpError(error({ code: 'EENVELOPE', responseCode: 451 })), {
    kind: 'retryable',
    code: 'SMTP_451',
  });
  assert.deepEqual(classifySmtpError(error({ code: 'EMESSAGE', responseCode: 550 })), {
    kind: 'permanent',
    code: 'SMTP_550',
  });
  // A server closing with a 421 is a busy server.
  assert.deepEqual(classifySmtpError(error({ code: 'ECONNECTION', responseCode: 421 })), {
    kind: 'retryable',
    code: 'SMTP_421',
  });
});

test('connection failures are retryable and report the system code', () => {
  for (const originalCode of ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN']) {
    assert.deepEqual(classifySmtpError(error({ code: 'ESOCKET', originalCode })), {
      kind: 'retryable',
      code: originalCode,
    });
  }
  assert.equal(classifySmtpError(error({ code: 'EDNS' })).kind, 'retryable');
  assert.equal(classifySmtpError(error({ code: 'ECONNECTION' })).kind, 'retryable');
  assert.equal(classifySmtpError(error({ code: 'ECONNRESET' })).kind, 'retryable');
});

test('timeouts before the hand-over are retryable, a silent server mid-session is uncertain', () => {
  for (const timeoutType of ['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT']) {
    assert.equal(classifySmtpError(error({ code: 'ETIMEDOUT', timeoutType })).kind, 'retryable', timeoutType);
  }
  assert.deepEqual(classifySmtpError(error({ code: 'ETIMEDOUT', timeoutType: 'SOCKET_TIMEOUT' })), {
    kind: 'uncertain',
    code: 'SOCKET_TIMEOUT',
  });
  assert.equal(classifySmtpError(error({ code: 'ETIMEDOUT' })).kind, 'uncertain');
});

test('our own credentials are retryable, even with a 535 reply', () => {
  assert.equal(classifySmtpError(error({ code: 'EAUTH', responseCode: 535 })).kind, 'retryable');
  assert.equal(classifySmtpError(error({ code: 'ENOAUTH' })).kind, 'retryable');
});

test('a message that cannot be sent is permanent', () => {
  assert.deepEqual(classifySmtpError(error({ code: 'EENVELOPE' })), { kind: 'permanent', code: 'EENVELOPE' });
  assert.equal(classifySmtpError(error({ code: 'EMAXRECIPIENTS' })).kind, 'permanent');
  assert.deepEqual(classifySmtpError(new TypeError('bad header')), {
    kind: 'permanent',
    code: 'SMTP_UNEXPECTED',
  });
  assert.deepEqual(classifySmtpError('a string'), { kind: 'permanent', code: 'SMTP_UNEXPECTED' });
});

test('the message text plays no part', () => {
  const a = classifySmtpError(
    error({ code: 'ESOCKET', originalCode: 'ECONNREFUSED' }, 'Mailbox unavailable 550'),
  );
  const b = classifySmtpError(error({ code: 'ESOCKET', originalCode: 'ECONNREFUSED' }, 'timeout'));
  assert.deepEqual(a, b);
  assert.equal(classifySmtpError(error({}, '451 try again later')).kind, 'permanent');
});

test('toChannelError keeps the cause and passes ChannelErrors through', () => {
  const cause = error({ code: 'EENVELOPE', responseCode: 550 }, 'Recipient refused');
  const wrapped = toChannelError(cause);
  assert.ok(wrapped instanceof ChannelError);
  assert.equal(wrapped.kind, 'permanent');
  assert.equal(wrapped.cause, cause);
  assert.equal(wrapped.message, 'Recipient refused');
  const existing = new ChannelError('uncertain', 'X', 'x');
  assert.equal(toChannelError(existing), existing);
});

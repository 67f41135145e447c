import assert from 'node:assert/strict';
import { test } from 'node:test';
import { notAReply, type MailFacts } from './automatic.js';

const mail = ({
  headers = {},
  ...overrides
}: Partial<Omit<MailFacts, 'headers'>> & { headers?: Record<string, string> }): MailFacts => ({
  subject: 'Re: Your order LUM-1001',
  from: 'ada.lovelace@example.com',
  ...overrides,
  headers: new Map(Object.entries(headers)),
});

test('a person writing back is a reply', () => {
  assert.equal(notAReply(mail({})), null);
  assert.equal(notAReply(mail({ headers: { 'auto-submitted': 'no' } })), null);
  assert.equal(notAReply(mail({ subject: 'Re: Out of stock?' })), null);
});

test('auto-replies: headers first, then the usual subjects in English and German', () => {
  assert.equal(notAReply(mail({ headers: { 'auto-submitted': 'auto-replied' } })), 'auto_reply');
  assert.equal(notAReply(mail({ headers: { precedence: 'bulk' } })), 'auto_reply');
  assert.equal(notAReply(mail({ headers: { precedence: 'auto_reply' } })), 'auto_reply');
  assert.equal(notAReply(mail({ headers: { 'x-autoreply': 'yes' } })), 'auto_reply');
  assert.equal(notAReply(mail({ subject: 'Out of Office: back June 10' })), 'auto_reply');
  assert.equal(notAReply(mail({ subject: 'Automatic reply: Your order' })), 'auto_reply');
  assert.equal(notAReply(mail({ subject: 'Abwesenheitsnotiz: Ihre Bestellung' })), 'auto_reply');
  assert.equal(notAReply(mail({ subject: 'Automatische Antwort: Ihre Bestellung' })), 'auto_reply');
});

test('bounces: the null sender, daemons, delivery reports and their subjects', () => {
  assert.equal(notAReply(mail({ envelopeFrom: '' })), 'bounce');
  assert.equal(notAReply(mail({ from: 'mailer-daemon@mx.example.com' })), 'bounce');
  assert.equal(
    notAReply(
      mail({ headers: { 'content-type': 'multipart/report; report-type=delivery-status; boundary=x' } }),
    ),
    'bounce',
  );
  assert.equal(notAReply(mail({ subject: 'Undeliverable: Your order' })), 'bounce');
  assert.equal(notAReply(mail({ subject: 'Unzustellbar: Ihre Bestellung' })), 'bounce');
});

// The mailing list's two mails in every language pass the content linter with no error (no
// pushy words, urgency or offers; the digest names the postal address and carries its
// unsubscribe link in the text and the List-Unsubscribe headers).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countSyllables } from '../../cli/lintSyllables.js';
import { lintMessage } from '../../core/content/lint.js';
import type { Subscriber } from '../../store/ports/mailingList.js';
import { LinkTokens } from '../links/token.js';
import { confirmationMail, digestMail, type ListMailDeps } from './mail.js';
import { LIST_LANGUAGES } from './texts.js';

const NOW = Date.UTC(2026, 5, 1, 12);
const deps: ListMailDeps = {
  linkTokens: LinkTokens.ephemeral(),
  publicUrl: 'https://care.lumen.example/',
  business: {
    name: 'Lumen Lamps',
    website: null,
    supportEmail: 'help@lumen.example',
    supportPhone: null,
    escalationName: 'Dana Reyes',
    escalationEmail: 'dana@lumen.example',
    postalAddress: 'Lichtstraße 4, 10115 Berlin',
    fromEmail: 'care@lumen.example',
  },
  email: () => null,
};

function subscriber(locale: string): Subscriber {
  return {
    id: 'sub_1',
    email: 'ana@example.de',
    customerId: null,
    locale,
    timezone: null,
    status: 'confirmed',
    requestedAt: NOW,
    requestSource: 'form',
    requestIp: null,
    confirmationsSent: 0,
    lastConfirmationAt: null,
    consent: null,
    unsubscribedAt: null,
    unsubscribeSource: null,
    lastDigestAt: null,
    lastDigestPeriod: null,
  };
}

describe('mailing list mails', () => {
  for (const lang of LIST_LANGUAGES) {
    test(`${lang}: confirmation and digest lint clean, with their links and headers`, () => {
      const confirm = confirmationMail(deps, subscriber(lang), NOW);
      assert.match(confirm.text, /https:\/\/care\.lumen\.example\/list\/confirm\/[A-Za-z0-9_-]+/);
      assert.equal(confirm.headers['List-Unsubscribe'], undefined);
      const items = [
        { id: 'n1', title: 'Nova', body: 'The Nova floor lamp.', locale: null, createdAt: NOW - 1 },
        { id: 'n2', title: 'Opening hours', body: 'Open on Saturdays.', locale: null, createdAt: NOW },
      ];
      const digest = digestMail(deps, subscriber(lang), 42, items, NOW);
      const unsubscribe = /^<(.+)>$/.exec(digest.headers['List-Unsubscribe'] ?? '')?.[1] ?? '';
      assert.match(unsubscribe, /^https:\/\/care\.lumen\.example\/list\/u\//);
      assert.ok(digest.text.includes(unsubscribe));
      assert.equal(digest.headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
      assert.equal(digest.messageId, digestMail(deps, subscriber(lang), 42, items, NOW + 1).messageId);
      const facts = {
        businessName: deps.business.name,
        postalAddress: deps.business.postalAddress,
        supportEmail: deps.business.supportEmail,
        supportPhone: null,
        helpUrl: null,
      };
      for (const mail of [
        { ...confirm, facts: { ...facts, unsubscribeUrl: null } },
        { ...digest, facts: { ...facts, unsubscribeUrl: unsubscribe } },
      ]) {
        const findings = lintMessage(
          {
            locale: lang,
            purpose: mail.purpose,
            channel: 'email',
            subject: mail.subject,
            text: mail.text,
            facts: mail.facts,
          },
          countSyllables,
        );
        assert.deepEqual(
          findings.filter((f) => f.severity === 'error'),
          [],
          `${lang} ${mail.stepKey}`,
        );
      }
    });
  }
});

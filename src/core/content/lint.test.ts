// Every content rule with a message that breaks it and one that passes, in the languages whose
// word lists it has; and the reading-ease formulas against hand-computed scores.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countSyllables } from '../../cli/lintSyllables.js';
import { lintMessage, RULES, type LintMessage, type RuleId } from './lint.js';
import { readingEase } from './readability.js';

const FACTS = {
  businessName: 'Aftercare Demo Shop',
  postalAddress: '1 Market Street, Springfield 12345',
  supportEmail: 'help@shop.example',
  supportPhone: '+1 555 0199',
  unsubscribeUrl: 'https://care.example/u/tok',
  helpUrl: 'https://care.example/help',
};
const FOOTER = `\n\n--\nAftercare Demo Shop\n${FACTS.postalAddress}\nUnsubscribe: ${FACTS.unsubscribeUrl}`;

function message(text: string, over: Partial<LintMessage> = {}): LintMessage {
  return {
    locale: 'en',
    purpose: 'reassurance',
    channel: 'email',
    subject: 'How is it going?',
    text: `${text}\n\nQuestions? Write to ${FACTS.supportEmail}.${FOOTER}`,
    facts: FACTS,
    ...over,
  };
}

function rules(input: LintMessage): RuleId[] {
  return lintMessage(input, countSyllables).map((f) => f.rule);
}

function fails(rule: RuleId, input: LintMessage): void {
  const found = lintMessage(input, countSyllables).filter((f) => f.rule === rule);
  assert.ok(found.length > 0, `${rule} should fire on: ${input.subject} / ${input.text}`);
  for (const f of found) assert.equal(f.severity, RULES[rule].severity);
}

function passes(rule: RuleId, input: LintMessage): void {
  assert.ok(
    !rules(input).includes(rule),
    `${rule} should not fire: ${JSON.stringify(lintMessage(input, countSyllables))}`,
  );
}

describe('content rules', () => {
  test('a plain, kind reassurance message passes every rule', () => {
    assert.deepEqual(
      rules(message('Hi Sam, your lamp should be with you now. Is it all as it should be?')),
      [],
    );
  });

  test('pushy-language: selling words in reassurance and transactional steps, per locale', () => {
    fails('pushy-language', message('Love it? Upgrade to the Pro model today.'));
    fails(
      'pushy-language',
      message('Your order is on its way. Shop now for more!', { purpose: 'transactional' }),
    );
    fails('pushy-language', message('Gönnen Sie sich das Zubehör.', { locale: 'de-DE' }));
    fails('pushy-language', message('Faites-vous plaisir avec nos accessoires.', { locale: 'fr' }));
    fails('pushy-language', message('¡Date un capricho!', { locale: 'es' }));
    passes('pushy-language', message('Upgrade to the Pro model.', { purpose: 'offer' }));
    passes('pushy-language', message('We will deal with it at once.'));
  });

  test('offer-outside-offer-step: discounts and codes only in offer steps', () => {
    fails('offer-outside-offer-step', message('Here is a coupon for your next order.'));
    fails('offer-outside-offer-step', message('Take 20% off your next order.', { purpose: 'education' }));
    fails('offer-outside-offer-step', message('Ihr Gutschein liegt bei.', { locale: 'de' }));
    passes('offer-outside-offer-step', message('Take 20% off your next order.', { purpose: 'offer' }));
    passes('offer-outside-offer-step', message('It is 100% recycled paper.'));
  });

  test('urgency: pressure of time, in any step', () => {
    fails('urgency', message('Last chance to tell us!'));
    fails('urgency', message('Nur heute: sagen Sie uns Ihre Meinung.', { locale: 'de' }));
    fails('urgency', message("Only today, don't wait.", { purpose: 'offer' }));
    passes('urgency', message('Tell us whenever suits you.'));
  });

  test('all-caps: shouted words, not acronyms, numbers or the business name', () => {
    fails('all-caps', message('This is VERY important.'));
    fails('all-caps', message('Hello', { subject: 'FREE GIFT inside' }));
    passes(
      'all-caps',
      message('Track it with UPS (1Z999AA1). Our CSAT survey, from AFTERCARE.', {
        facts: { ...FACTS, businessName: 'AFTERCARE' },
      }),
    );
  });

  test('missing-unsubscribe and missing-postal-address: non-transactional e-mail only', () => {
    const bare = message('Hi Sam, how is it going?');
    const noFooter = { ...bare, text: bare.text.replace(FOOTER, '') };
    fails('missing-unsubscribe', noFooter);
    fails('missing-postal-address', noFooter);
    passes('missing-unsubscribe', bare);
    passes('missing-postal-address', bare);
    passes('missing-unsubscribe', { ...noFooter, purpose: 'transactional' });
    passes('missing-postal-address', { ...noFooter, channel: 'sms' });
  });

  test('missing-support-path: reassurance must say how to get help', () => {
    const base = message('Hi Sam, how is it going?');
    const silent = { ...base, text: `Hi Sam, how is it going?${FOOTER}` };
    fails('missing-support-path', silent);
    passes('missing-support-path', base);
    passes('missing-support-path', { ...silent, text: `Anything wrong? Just reply.${FOOTER}` });
    passes('missing-support-path', {
      ...silent,
      text: `Bei Fragen antworten Sie einfach.${FOOTER}`,
      locale: 'de',
    });
    passes('missing-support-path', { ...silent, purpose: 'education' });
  });

  test('too-long: the subject, the body before the footer, an SMS', () => {
    fails('too-long', message('Hi.', { subject: 'x'.repeat(71) }));
    fails('too-long', message('We are here. '.repeat(90)));
    fails('too-long', message('ok '.repeat(110), { channel: 'sms' }));
    passes('too-long', message('We are here. '.repeat(40)));
    passes('too-long', message('Hi.', { subject: 'x'.repeat(70) }));
  });

  test('reading-ease: long sentences of long words fall below the threshold, per language', () => {
    const hard =
      'Notwithstanding considerable organisational complexity, comprehensive documentation regarding ' +
      'operational responsibilities, administrative procedures, and institutional accountability ' +
      'considerations necessitates substantial interdepartmental coordination, continuous evaluation, ' +
      'and professional interpretation by appropriately qualified representatives.';
    fails('reading-ease', message(hard));
    const easy =
      'Your lamp is here. We hope you like it. Is it all fine? Tell us if not. We are glad to help. ' +
      'It took two days to get to you. Keep the box for now. Then see how it feels on your desk.';
    passes('reading-ease', message(easy));
    const schwer =
      'Unter Berücksichtigung sämtlicher organisatorischer Rahmenbedingungen erfordert die ordnungsgemäße ' +
      'Dokumentation verwaltungstechnischer Zuständigkeitsregelungen eine umfangreiche abteilungsübergreifende ' +
      'Abstimmung, kontinuierliche Qualitätssicherungsmaßnahmen sowie Verantwortlichkeitsvereinbarungen. ' +
      'Darüber hinaus verpflichten sich sämtliche Vertragsparteien zur fristgerechten Übermittlung vollständiger Unterlagen.';
    fails('reading-ease', message(schwer, { locale: 'de' }));
    const leicht =
      'Ihre Lampe ist da. Wir hoffen, sie gefällt Ihnen. Ist alles gut? Sagen Sie es uns. ' +
      'Wir helfen gern. Sie war zwei Tage unterwegs. Heben Sie den Karton noch auf. Dann sehen Sie, wie sie wirkt.';
    passes('reading-ease', message(leicht, { locale: 'de' }));
  });

  test('article-slip: "a" before a vowel sound, "an" before a consonant (English only)', () => {
    fails('article-slip', message('As a Aftercare Demo Shop customer, you get help first.'));
    fails('article-slip', message('It is an lamp.'));
    fails('article-slip', message('Wait a hour.'));
    passes(
      'article-slip',
      message(
        'As an Aftercare customer, a useful tip, a one-off, an hour, an SMS, a UPS parcel. Plan A is fine.',
      ),
    );
    passes('article-slip', message('Una lámpara a Aftercare.', { locale: 'es' }));
  });
});

describe('reading ease formulas', () => {
  const ONE = () => 1;
  // 60 words of one syllable in 6 sentences: ASL 10, ASW 1.
  const text = Array.from({ length: 6 }, () => 'the cat sat on the mat and was so glad.').join(' ');
  test('Flesch, Amstad, Kandel-Moles and Fernández Huerta on the same counts', () => {
    assert.equal(readingEase(text, 'en', ONE)?.score, Math.round((206.835 - 10.15 - 84.6) * 10) / 10);
    assert.equal(readingEase(text, 'de', ONE)?.score, Math.round((180 - 10 - 58.5) * 10) / 10);
    assert.equal(readingEase(text, 'fr', ONE)?.score, Math.round((207 - 10.15 - 73.6) * 10) / 10);
    assert.equal(readingEase(text, 'es', ONE)?.score, Math.round((206.84 - 60 - 10.2) * 10) / 10);
    assert.equal(readingEase(text, 'it', ONE), null, 'no formula here: no score');
    assert.equal(readingEase('Too short.', 'en', ONE), null);
  });
  test('syllables: English by dictionary rules, others by hyphenation and vowel groups', () => {
    assert.equal(countSyllables('reassurance', 'en'), 3);
    assert.equal(countSyllables('Kundenzufriedenheit', 'de'), 6);
    assert.equal(countSyllables('aber', 'de'), 2);
    assert.equal(countSyllables('ayuda', 'es'), 3);
    assert.equal(countSyllables('commande', 'fr'), 2);
  });
});

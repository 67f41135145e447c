// Every default template in English, German, French and Spanish, chosen by the customer's locale
// with fallback (`de-AT` -> de, `pt-BR` -> the English base file), rendered for realistic
// customers: words, dates, money and counts in the customer's language, the survey question
// too, help and escalation in every reassurance e-mail; and a playbook that ships its own
// translations, checked, pinned and rendered like the defaults.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { playbookFingerprint } from '../../src/core/playbook/snapshot.js';
import { templateIssues } from '../../src/engine/playbookTemplates.js';
import { templateNamesIn } from '../../src/templates/load.js';
import { defaultTemplatesDir } from '../../src/templates/paths.js';
import { TemplateRenderer } from '../../src/templates/render.js';
import { wordingFor } from '../../src/templates/wording.js';
import { textsFor } from '../../src/http/public/texts.js';
import {
  BUYERS,
  ENGLISH_JPY,
  FRENCH,
  GERMAN_B2B,
  SPANISH,
  business,
  contextFor,
  reassure,
  stepFor,
  type Buyer,
} from './localeFixtures.js';

const renderer = new TemplateRenderer({ dirs: [] });
const names = templateNamesIn(defaultTemplatesDir());
const render = (name: string, buyer: Buyer, locale?: string) =>
  renderer.render(name, contextFor(buyer, name, locale));

const dir = mkdtempSync(join(tmpdir(), 'aftercare-locales-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Words that give away an English text; none belongs in a German, French or Spanish subject. */
const ENGLISH =
  /\b(your|the|order|thank|thanks|with|has|is|was|and|we|you|how|did|may|one|week|month|notice|update|call|send|to)\b/i;

const LANGUAGE_OF: ReadonlyMap<Buyer, { greeting: string; signature: string }> = new Map([
  [FRENCH, { greeting: 'Bonjour Jeanne,', signature: 'L’équipe Aftercare Demo Shop' }],
  [SPANISH, { greeting: 'Hola, Lucía:', signature: 'El equipo de Aftercare Demo Shop' }],
  [GERMAN_B2B, { greeting: 'Hallo Jonas,', signature: 'Ihr Team von Aftercare Demo Shop' }],
  [ENGLISH_JPY, { greeting: 'Hi Ada,', signature: 'The Aftercare Demo Shop team' }],
]);

describe('every default template in every locale', () => {
  test('each default comes in de, es and fr beside its English base file', () => {
    assert.ok(names.length >= 25, `only ${names.length} templates`);
    for (const name of names) assert.deepEqual(renderer.locales(name), ['', 'de', 'es', 'fr'], name);
  });

  test('renders for each customer in their language: no Liquid left, subjects without English', () => {
    for (const buyer of BUYERS) {
      const words = LANGUAGE_OF.get(buyer)!;
      for (const name of names) {
        const out = render(name, buyer);
        const label = `${name} for the ${buyer.label}`;
        const email = stepFor(name).channel === 'email' || renderer.load(name).hasSubject;
        assert.ok(out.text.length > 100, `${label}: body too short`);
        for (const part of [out.subject, out.title, out.text]) {
          assert.doesNotMatch(part, /\{\{|\{%|liquid|undefined|\[object Object\]/i, label);
        }
        if (email) {
          assert.ok(out.subject.length > 0, `${label}: no subject`);
          assert.ok(
            out.text.startsWith(words.greeting),
            `${label}: greeting is "${out.text.split('\n')[0]}"`,
          );
          assert.ok(out.text.includes(words.signature), `${label}: no signature`);
        } else {
          assert.ok(out.title.length > 0, `${label}: no title`);
        }
        if (buyer !== ENGLISH_JPY) {
          const heading = email ? out.subject : out.title;
          assert.doesNotMatch(
            heading.replace(/Aftercare Demo Shop|Colissimo/g, ''),
            ENGLISH,
            `${label}: "${heading}"`,
          );
          for (const phrase of [
            'Warm regards',
            'If you have a question',
            'Unsubscribe in one click',
            'Hi ',
          ]) {
            assert.ok(!out.text.includes(phrase), `${label} still says "${phrase}"`);
          }
        }
      }
    }
  });

  test('spot checks of the words, per language', () => {
    assert.equal(render('order-shipped', FRENCH).subject, 'Votre commande est en route avec Colissimo');
    assert.equal(render('order-shipped', SPANISH).subject, 'Su pedido está en camino con Colissimo');
    assert.equal(render('order-shipped', GERMAN_B2B).subject, 'Ihre Bestellung ist unterwegs mit Colissimo');
    assert.equal(render('arrival-check', FRENCH).subject, 'Tout est bien arrivé ?');
    assert.equal(render('arrival-check', SPANISH).subject, '¿Ha llegado todo bien?');
    assert.equal(render('arrival-check', GERMAN_B2B).subject, 'Ist alles gut bei Ihnen angekommen?');
    assert.match(render('arrival-call', GERMAN_B2B).text, /^Kunde: Jonas Müller \(Geschäftskunde\)$/m);
    assert.match(render('silent-call', GERMAN_B2B).text, /nicht nur die, die es gekauft hat/);
  });

  test('dates by the locale, in the customer zone (French writes the first of the month 1er)', () => {
    assert.match(render('thank-you', FRENCH).text, /au plus tard le 5 juin 2026\./);
    assert.match(render('thank-you', FRENCH).text, /Le renouvellement aura lieu le 1er juin 2027\./);
    assert.match(render('thank-you', SPANISH).text, /a más tardar el 5 de junio de 2026\./);
    assert.match(render('thank-you', GERMAN_B2B).text, /bis zum 5\. Juni 2026 bei Ihnen/);
    assert.match(render('thank-you', ENGLISH_JPY).text, /by June 5, 2026\./);
    assert.equal(render('renewal-notice', FRENCH).subject, 'Avis de renouvellement : 1er juin 2027');
  });

  test('money by the locale and the order currency', () => {
    assert.match(render('cancel-followup', FRENCH).text, /\(1\s234,50\s€\)/);
    assert.match(render('cancel-followup', GERMAN_B2B).text, /\(1\.234,50\s€\)/);
    assert.match(render('cancel-followup', SPANISH).text, /\(1234,50\s€\)/);
    assert.match(render('cancel-followup', ENGLISH_JPY).text, /\(¥12,000\)/);
    assert.match(render('renewal-notice', FRENCH).text, /^Montant : 1\s234,50\s€$/m);
  });

  test('counts by the locale plural rules', () => {
    assert.match(render('thank-you', FRENCH).text, /Merci pour votre commande de 2 articles\./);
    assert.match(render('thank-you', SPANISH).text, /Gracias por su pedido de 1 artículo\./);
    assert.match(render('thank-you', GERMAN_B2B).text, /für Ihre Bestellung über 13 Artikel\./);
    assert.match(
      render('arrival-check', FRENCH).text,
      /votre commande \(Lampe de bureau et 1 autre article\)/,
    );
    assert.match(
      render('arrival-check', GERMAN_B2B).text,
      /Ihre Bestellung \(Lichtpaneel und 2 weitere Artikel\)/,
    );
    assert.match(render('arrival-check', SPANISH).text, /su pedido \(Lámpara de escritorio\)/);
    const one = renderer.render('arrival-check', {
      ...contextFor(GERMAN_B2B, 'arrival-check'),
      order: { ...(contextFor(GERMAN_B2B, 'arrival-check')['order'] as object), items: [{}, {}] },
    });
    assert.match(one.text, /und 1 weiterer Artikel/);
  });

  test('the plural filter, compiled and by LiquidJS: French 0 is singular, English 0 plural, digits by locale', () => {
    for (const compile of [true, false]) {
      const counts = TemplateRenderer.fromSources(
        { n: '{% for c in counts %}{{ c | plural: "item", "items" }}|{% endfor %}' },
        { compile },
      );
      const run = (locale: string) => counts.render('n', { locale, counts: [0, 1, 2, 1000, 1.5] }).text;
      assert.equal(run('fr'), '0 item|1 item|2 items|1\u202f000 items|1,5 item|');
      assert.equal(run('en'), '0 items|1 item|2 items|1,000 items|1.5 items|');
      assert.equal(run('de'), '0 items|1 item|2 items|1.000 items|1,5 items|');
    }
  });

  test('the survey question is asked in the customer language, and the survey page asks the same', () => {
    const nps = render('checkin-month', FRENCH).text;
    assert.match(nps, /Quelle est la probabilité que vous recommandiez Aftercare Demo Shop à un ami/);
    assert.match(nps, /^0 \(Peu probable\): https:\/\/care\.example\/s\/abc\?score=0$/m);
    assert.match(nps, /^10 \(Très probable\): /m);
    assert.match(render('checkin-week', SPANISH).text, /¿Cuál es su grado de satisfacción con su compra/);
    assert.match(render('checkin-week', GERMAN_B2B).text, /Wie zufrieden sind Sie bisher mit Ihrem Kauf\?/);
    for (const language of ['en', 'de', 'fr', 'es'] as const) {
      for (const kind of ['csat', 'nps'] as const) {
        assert.equal(
          wordingFor(language).survey[kind].question('Shop'),
          textsFor(language).surveyQuestion[kind]('Shop'),
          `${language} ${kind}: the e-mail and the survey page ask different questions`,
        );
      }
    }
  });

  test('every reassurance e-mail says how to get help and how to escalate, in every language', () => {
    const emails = reassure.steps.filter((s) => s.channel === 'email' && s.purpose === 'reassurance');
    assert.ok(emails.length >= 5);
    for (const step of emails) {
      for (const buyer of BUYERS) {
        const text = render(step.template, buyer).text;
        for (const contact of [business.supportEmail, business.escalationName, business.escalationEmail]) {
          assert.ok(text.includes(contact), `${step.template} for the ${buyer.label} lacks ${contact}`);
        }
      }
    }
  });

  test('no "a <business>" slips in English: the name never follows "a" or "an"', () => {
    for (const name of names) {
      const out = render(name, ENGLISH_JPY);
      assert.doesNotMatch(`${out.subject}\n${out.title}\n${out.text}`, /\b(a|an) Aftercare\b/i, name);
    }
  });
});

describe('fallback', () => {
  test('a locale without translations gets the English text, with English dates and money', () => {
    const english = render('thank-you', FRENCH, 'en');
    const brazilian = render('thank-you', FRENCH, 'pt-BR');
    assert.deepEqual(brazilian, english);
    assert.match(brazilian.text, /by June 5, 2026/);
    assert.equal(
      render('cancel-followup', FRENCH, 'pt-BR').text,
      render('cancel-followup', FRENCH, 'en').text,
    );
    assert.equal(
      renderer.renderSubject('renewal-notice', contextFor(FRENCH, 'renewal-notice', 'pt-BR')),
      'Renewal notice: June 1, 2027',
    );
  });

  test('the fallback asks the survey question in English too', () => {
    const text = render('checkin-month', FRENCH, 'pt-BR').text;
    assert.equal(text, render('checkin-month', FRENCH, 'en').text);
    assert.match(text, /How likely are you to recommend Aftercare Demo Shop/);
    assert.match(text, /^0 \(Not likely\): /m);
  });

  test('a regional locale gets its language (de-AT -> de, fr-CA -> fr), dates by the region', () => {
    assert.equal(render('thank-you', GERMAN_B2B, 'de-AT').subject, render('thank-you', GERMAN_B2B).subject);
    assert.match(render('thank-you', GERMAN_B2B, 'de-AT').text, /^So geht es weiter$/m);
    assert.match(render('thank-you', FRENCH, 'fr-CA').text, /^Et maintenant \?$/m);
    assert.match(render('thank-you', SPANISH, 'es_MX').text, /^Qué pasa ahora$/m);
  });

  test('a customer with no locale or a broken one gets English', () => {
    for (const locale of ['', 'not a locale!', 'xx']) {
      assert.equal(
        render('order-shipped', FRENCH, locale).subject,
        'Your order is on its way with Colissimo',
      );
    }
  });
});

describe('a playbook that ships its own locales', () => {
  const folder = join(dir, 'playbook');
  mkdirSync(folder);
  writeFileSync(
    join(folder, 'welcome.liquid'),
    "---\nsubject: Welcome, {{ customer.first_name }}\n---\nSee you on {{ order.placed_at | local_date }}.\n{% include '_help' %}\n",
  );
  writeFileSync(
    join(folder, 'welcome.fr.liquid'),
    "---\nsubject: Bienvenue, {{ customer.first_name }}\n---\nÀ bientôt, le {{ order.placed_at | local_date }}.\n{% include '_help' %}\n",
  );
  // Its own English thank-you: its words win for every locale it does not translate itself.
  writeFileSync(join(folder, 'thank-you.liquid'), '---\nsubject: Thanks from us\n---\nOur own words.\n');
  const own = new TemplateRenderer({ dirs: [folder] });

  test('x.fr.liquid for French customers, x.liquid for the others, partials in the file language', () => {
    const fr = own.render('welcome', contextFor(FRENCH, 'welcome'));
    assert.equal(fr.subject, 'Bienvenue, Jeanne');
    assert.match(fr.text, /^À bientôt, le 1er juin 2026\.$/m);
    assert.match(fr.text, /Une question, ou quelque chose qui ne va pas \?/, 'the default French _help');
    const es = own.render('welcome', contextFor(SPANISH, 'welcome'));
    assert.equal(es.subject, 'Welcome, Lucía');
    assert.match(es.text, /If you have a question/, 'English text, English partials');
    assert.match(es.text, /See you on June 1, 2026\./, 'and English dates');
    assert.equal(own.render('thank-you', contextFor(FRENCH, 'thank-you')).subject, 'Thanks from us');
    assert.match(
      own.render('cancel-followup', contextFor(FRENCH, 'cancel-followup')).subject,
      /a été annulée/,
    );
  });

  test('a version pins every locale: the snapshot renders the same, and a new locale changes the fingerprint', () => {
    const sources = own.sources(['welcome', 'thank-you']);
    assert.deepEqual(Object.keys(sources).sort(), [
      'thank-you',
      'thank-you.de',
      'thank-you.es',
      'thank-you.fr',
      'welcome',
      'welcome.fr',
    ]);
    assert.equal(
      sources['thank-you.fr'],
      sources['thank-you'],
      'the folder that has the template supplies it',
    );
    const pinned = TemplateRenderer.fromSources(sources);
    for (const buyer of BUYERS) {
      for (const locale of [undefined, 'pt-BR', 'fr-CA']) {
        const context = contextFor(buyer, 'welcome', locale);
        assert.deepEqual(pinned.render('welcome', context), own.render('welcome', context), buyer.label);
      }
    }
    writeFileSync(join(folder, 'welcome.es.liquid'), '---\nsubject: Bienvenido\n---\nHola.\n');
    try {
      const later = new TemplateRenderer({ dirs: [folder] }).sources(['welcome', 'thank-you']);
      assert.equal(later['welcome.es'], '---\nsubject: "Bienvenido"\n---\nHola.\n');
      assert.notEqual(playbookFingerprint('{}', later), playbookFingerprint('{}', sources));
    } finally {
      rmSync(join(folder, 'welcome.es.liquid'));
    }
  });

  test('each locale is checked like the base file, and a template only in other locales is refused', () => {
    const broken = join(dir, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'welcome.liquid'), '---\nsubject: Hi\n---\nHello\n');
    writeFileSync(join(broken, 'welcome.de.liquid'), 'Hallo, ohne Betreff\n');
    writeFileSync(join(broken, 'only.fr.liquid'), '---\nsubject: Seulement\n---\nFrançais\n');
    const step = { ...stepFor('thank-you'), channel: 'email' as const };
    const playbook = {
      ...reassure,
      steps: [
        { ...step, key: 'a', template: 'welcome' },
        { ...step, key: 'b', template: 'only' },
      ],
    };
    const issues = templateIssues(
      playbook,
      new TemplateRenderer({ dirs: [broken], includeDefaults: false }),
      {
        file: 'p.yaml',
        locate: () => ({ line: 1, column: 1 }),
        showFiles: false,
      },
    );
    assert.deepEqual(
      issues.map((i) => `${i.field}: ${i.message}`),
      [
        'steps[0].template: template "welcome.de" has no subject, and e-mail needs one',
        'steps[1].template: template "only" comes only in fr: add only.liquid, which every other locale falls back to',
      ],
    );
  });
});

// French and Spanish customers over real HTTP and real SMTP: the production dispatcher sends
// them e-mails in their language (subject, survey question, help), and every page behind the
// links answers in their language too: the survey, the plan with its steps named, unsubscribe,
// preferences; the help page follows the browser.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ParsedMail } from 'mailparser';
import { smtpReceiver } from '../../src/channels/staffServers.test-helpers.js';
import type { DomainEvent, LineItem } from '../../src/core/domain.js';
import { DAY, HOUR, T0, dispatcherFor, openTestApp, type TestApp } from './harness.js';

const JEANNE = 'jeanne.moreau@example.fr';
const LUCIA = 'lucia.garcia@example.es';

interface Mail {
  to: string;
  parsed: ParsedMail;
  links: string[];
}

let t: TestApp;
let base: string;
let mails: Mail[];
let closeSmtp: () => Promise<void>;

function placed(
  id: string,
  email: string,
  customer: Record<string, unknown>,
  items: LineItem[],
): DomainEvent[] {
  const customerId = `cus-${id}`;
  return [
    {
      id: `placed-${id}`,
      type: 'order.placed',
      at: T0,
      customerId,
      orderId: id,
      customer: { customerId, segment: 'b2c', email, ...customer },
      order: { placedAt: T0, segment: 'b2c', currency: 'EUR', total: 1234.5, number: `#${id}`, items },
      data: {},
    },
    {
      id: `delivered-${id}`,
      type: 'shipment.delivered',
      at: T0 + 2 * DAY,
      customerId,
      orderId: id,
      data: {},
    },
  ];
}

before(async () => {
  const smtp = await smtpReceiver();
  closeSmtp = () => smtp.close();
  t = await openTestApp({
    SMTP_URL: smtp.url,
    AFTERCARE_SECRET: 'Vq3+pN8sK2xR7tY1wZ5mB9cF4hJ6lD0gA-locales-link-secret',
    AFTERCARE_PUBLIC_URL: 'https://care.lumen.example',
    AFTERCARE_BUSINESS_NAME: 'Lumen Lamps',
    AFTERCARE_SUPPORT_EMAIL: 'help@lumen.example',
    AFTERCARE_ESCALATION_NAME: 'Dana Reyes',
    AFTERCARE_ESCALATION_EMAIL: 'dana@lumen.example',
    AFTERCARE_FREQUENCY_CAP: '20/7d',
  });
  base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  await t.composed.commands.ingest.events([
    ...placed('FR-1', JEANNE, { firstName: 'Jeanne', timezone: 'Europe/Paris', locale: 'fr-FR' }, [
      { sku: 'LAMP', productName: 'Lampe de bureau', category: null, quantity: 1, price: 1000 },
      { sku: 'BULB', productName: 'Ampoule', category: null, quantity: 1, price: 234.5 },
    ]),
    ...placed('ES-1', LUCIA, { firstName: 'Lucía', timezone: 'Europe/Madrid', locale: 'es-ES' }, [
      { sku: 'LAMP', productName: 'Lámpara de escritorio', category: null, quantity: 1, price: 1234.5 },
    ]),
  ]);
  const { dispatcher, channels } = dispatcherFor(t, smtp.url);
  try {
    for (let at = T0; at <= T0 + 10 * DAY; at += 3 * HOUR) {
      t.clock.set(at);
      await dispatcher.runUntilIdle();
    }
  } finally {
    await channels.close();
  }
  mails = smtp.mails.map(({ to, parsed }) => ({
    to: to[0] ?? '',
    parsed,
    links: (parsed.text ?? '').match(/https?:\/\/[^\s<>)"]+/g) ?? [],
  }));
});

after(async () => {
  await t.close();
  await closeSmtp();
});

function mailsTo(to: string): Mail[] {
  return mails.filter((m) => m.to === to);
}

function linkIn(to: string, prefix: string): string {
  for (const mail of mailsTo(to)) {
    const found = mail.links.find((l) => new URL(l).pathname.startsWith(prefix));
    if (found) return found;
  }
  throw new Error(`no mail to ${to} has a ${prefix} link`);
}

async function page(url: string, init?: RequestInit): Promise<{ status: number; html: string }> {
  const u = new URL(url);
  const response = await fetch(`${base}${u.pathname}${u.search}`, init);
  return { status: response.status, html: await response.text() };
}

describe('French and Spanish customers, from their e-mails to the pages', () => {
  test('the e-mails are written in their language', () => {
    const subjects = (to: string) => mailsTo(to).map((m) => m.parsed.subject ?? '');
    assert.ok(
      subjects(JEANNE).includes('Merci d’avoir choisi Lumen Lamps, Jeanne'),
      subjects(JEANNE).join(' | '),
    );
    assert.ok(subjects(LUCIA).includes('Gracias por elegir Lumen Lamps, Lucía'), subjects(LUCIA).join(' | '));
    const jeanne = mailsTo(JEANNE)
      .map((m) => m.parsed.text ?? '')
      .join('\n');
    assert.match(jeanne, /Merci pour votre commande de 2 articles\./);
    assert.match(jeanne, /Quel est votre niveau de satisfaction concernant votre achat jusqu’ici \?/);
    assert.match(jeanne, /écrivez directement à Dana Reyes : dana@lumen\.example/);
    assert.doesNotMatch(jeanne, /Warm regards|If you have a question/);
    const lucia = mailsTo(LUCIA)
      .map((m) => m.parsed.text ?? '')
      .join('\n');
    assert.match(lucia, /Gracias por su pedido de 1 artículo\./);
    assert.match(lucia, /¿Cuál es su grado de satisfacción con su compra hasta ahora\?/);
  });

  test('survey page: asked and thanked in French', async () => {
    const survey = linkIn(JEANNE, '/s/');
    const opened = await page(survey);
    assert.equal(opened.status, 200);
    assert.match(opened.html, /<html lang="fr">/);
    assert.match(opened.html, /Quel est votre niveau de satisfaction concernant votre achat/);
    assert.match(opened.html, /Envoyer ma réponse/);
    const action = /<form method="post" action="([^"]+)"/.exec(opened.html)![1]!;
    const answered = await page(`https://x${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams([['score', '5']]).toString(),
    });
    assert.equal(answered.status, 200);
    assert.match(answered.html, /Merci pour votre réponse/);
  });

  test('survey page in Spanish, with its error in Spanish', async () => {
    const opened = await page(linkIn(LUCIA, '/s/'));
    assert.match(opened.html, /<html lang="es">/);
    assert.match(opened.html, /¿Cuál es su grado de satisfacción con su compra hasta ahora\?/);
    const action = /<form method="post" action="([^"]+)"/.exec(opened.html)![1]!;
    const bad = await page(`https://x${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams([['score', '9']]).toString(),
    });
    assert.equal(bad.status, 400);
    assert.match(bad.html, /Elija una puntuación del 1 al 5\./);
  });

  test('plan page: each step named in the customer language, dates in it', async () => {
    const fr = await page(linkIn(JEANNE, '/plan/'));
    assert.equal(fr.status, 200);
    assert.match(fr.html, /<html lang="fr">/);
    assert.match(fr.html, /Votre programme/);
    assert.match(fr.html, /Un e-mail de remerciement qui explique la suite/);
    assert.match(fr.html, /Au bout d’un mois : une petite prise de nouvelles/);
    assert.match(fr.html, /juin 2026/);
    const es = await page(linkIn(LUCIA, '/plan/'));
    assert.match(es.html, /<html lang="es">/);
    assert.match(es.html, /Su plan/);
    assert.match(es.html, /Un correo de agradecimiento con lo que pasa a continuación/);
    assert.match(es.html, /Al cabo de un mes: un breve seguimiento/);
    assert.match(es.html, /junio de 2026/);
  });

  test('unsubscribe and preferences pages', async () => {
    const unsubscribe = await page(linkIn(JEANNE, '/u/'));
    assert.match(unsubscribe.html, /<html lang="fr">/);
    assert.match(unsubscribe.html, /Me désabonner/);
    const baja = await page(linkIn(LUCIA, '/u/'));
    assert.match(baja.html, /Darme de baja/);
    // The unsubscribe page offers the preferences instead, in the same language.
    const to =
      /<a href="([^"]*\/preferences\/[^"]+)"[^>]*>¿Prefiere elegir qué recibe\? Ajuste sus preferencias/.exec(
        baja.html,
      );
    assert.ok(to, 'the unsubscribe page links to the preferences in Spanish');
    const preferences = await page(`https://x${to[1]!}`);
    assert.equal(preferences.status, 200);
    assert.match(preferences.html, /<html lang="es">/);
    assert.match(preferences.html, /Guardar mis preferencias/);
  });

  test('the help page follows the browser language', async () => {
    const help = await fetch(`${base}/help`, { headers: { 'accept-language': 'es-ES,es;q=0.9,en;q=0.5' } });
    const html = await help.text();
    assert.match(html, /<html lang="es">/);
    assert.match(html, /Ayuda y contacto/);
    assert.match(html, /escriba directamente a Dana Reyes: <a href="mailto:dana@lumen\.example">/);
  });
});

// A shop whose customers have real mail in hand: the app listening on 127.0.0.1, a real SMTP
// server receiving what the production dispatcher sends, and three customers (English in London,
// a German B2B buyer in Berlin, an Italian locale in New York that falls back to English) whose
// orders were delivered ten days ago. Links are read out of the mails as a customer would.
import type { ParsedMail } from 'mailparser';
import { smtpReceiver, type Mail as Received } from '../../src/channels/staffServers.test-helpers.js';
import type { DomainEvent } from '../../src/core/domain.js';
import { DAY, HOUR, T0, dispatcherFor, openTestApp, type TestApp } from './harness.js';

export const SECRET = 'Vq3+pN8sK2xR7tY1wZ5mB9cF4hJ6lD0gA-current-link-secret';
export const OLD_SECRET = 'Hk2#nS7vQ1pL9xT4rW6mC8bG3jF5dZ0y-previous-link-secret';

export interface Mail {
  to: string;
  parsed: ParsedMail;
  /** Every http(s) URL in the text part, in order. */
  links: string[];
}

export interface PublicWorld {
  t: TestApp;
  /** http://127.0.0.1:port */
  base: string;
  mails: Mail[];
  /** A mail link pointed at the listening app (the mails carry AFTERCARE_PUBLIC_URL). */
  local(url: string): string;
  /** The first mail to `to` whose links include a path starting with `prefix`. */
  link(to: string, prefix: string, step?: string): string;
  /** Mails the SMTP server received after the world was set up (escalation notices...), parsed. */
  later(): Promise<Mail[]>;
  close(): Promise<void>;
}

export const ADA = 'ada.lovelace@example.com';
export const JONAS = 'jonas.mueller@nordlicht-gmbh.example';
export const CHIARA = 'chiara.rossi@example.it';

function placed(
  id: string,
  customer: Record<string, unknown>,
  order: Record<string, unknown>,
  segment: 'b2b' | 'b2c',
): DomainEvent[] {
  const customerId = `cus-${id}`;
  return [
    {
      id: `placed-${id}`,
      type: 'order.placed',
      at: T0,
      customerId,
      orderId: id,
      customer: { customerId, segment, ...customer },
      order: { placedAt: T0, segment, ...order },
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

/** The touch point a mail was sent for (its X-Aftercare-Touch-Point header). */
export function touchPointOf(mail: Mail): string {
  const value = mail.parsed.headers.get('x-aftercare-touch-point');
  return typeof value === 'string' ? value : '';
}

export async function openPublicWorld(options: { store?: 'sqlite' | 'postgres' } = {}): Promise<PublicWorld> {
  const smtp = await smtpReceiver();
  const smtpUrl = smtp.url;
  const t = await openTestApp(
    {
      SMTP_URL: smtpUrl,
      AFTERCARE_SECRET: SECRET,
      AFTERCARE_SECRET_PREVIOUS: OLD_SECRET,
      AFTERCARE_PUBLIC_URL: 'https://care.lumen.example',
      AFTERCARE_BUSINESS_NAME: 'Lumen Lamps',
      AFTERCARE_SUPPORT_EMAIL: 'help@lumen.example',
      AFTERCARE_SUPPORT_PHONE: '+49 30 1234 5678',
      AFTERCARE_ESCALATION_NAME: 'Dana Reyes',
      AFTERCARE_ESCALATION_EMAIL: 'dana@lumen.example',
      AFTERCARE_FREQUENCY_CAP: '20/7d',
    },
    options,
  );
  const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  await t.composed.commands.ingest.events([
    ...placed(
      'GB-1001',
      { email: ADA, firstName: 'Ada', lastName: 'Lovelace', timezone: 'Europe/London', locale: 'en-GB' },
      {
        currency: 'GBP',
        total: 129.5,
        items: [{ sku: 'LAMP-1', productName: 'Desk lamp', quantity: 1, price: 129.5 }],
      },
      'b2c',
    ),
    ...placed(
      'DE-2001',
      { email: JONAS, firstName: 'Jonas', lastName: 'Müller', timezone: 'Europe/Berlin', locale: 'de-DE' },
      {
        number: '#10442',
        currency: 'EUR',
        total: 4800,
        items: [{ sku: 'PANEL-40', productName: 'Lichtpaneel', quantity: 40, price: 120 }],
      },
      'b2b',
    ),
    ...placed(
      'US-3001',
      {
        email: CHIARA,
        firstName: 'Chiara',
        lastName: 'Rossi',
        timezone: 'America/New_York',
        locale: 'it-IT',
      },
      {
        currency: 'USD',
        total: 89,
        items: [{ sku: 'BULB-6', productName: 'Smart bulbs', quantity: 6, price: 14.83 }],
      },
      'b2c',
    ),
  ]);
  // Ten days on: thank-you, arrival check, tips and the week's check-in (with its survey) are out.
  const { dispatcher, channels } = dispatcherFor(t, smtpUrl);
  try {
    // Every three hours, so each customer's waking hours come round in their own zone.
    for (let at = T0; at <= T0 + 10 * DAY; at += 3 * HOUR) {
      t.clock.set(at);
      await dispatcher.runUntilIdle();
    }
  } finally {
    await channels.close();
  }
  const read = ({ to, parsed }: Received): Mail => ({
    to: to[0] ?? '',
    parsed,
    links: (parsed.text ?? '').match(/https?:\/\/[^\s<>)"]+/g) ?? [],
  });
  const mails = smtp.mails.map(read);
  const setUp = smtp.mails.length;
  const local = (url: string): string => {
    const u = new URL(url);
    return `${base}${u.pathname}${u.search}`;
  };
  return {
    t,
    base,
    mails,
    local,
    link(to, prefix, step) {
      for (const mail of mails) {
        if (mail.to !== to) continue;
        if (step !== undefined && !touchPointOf(mail).endsWith(`:${step}`)) continue;
        const found = mail.links.find((l) => new URL(l).pathname.startsWith(prefix));
        if (found) return found;
      }
      throw new Error(`no mail to ${to}${step ? ` (${step})` : ''} has a ${prefix} link`);
    },
    later: () => Promise.resolve(smtp.mails.slice(setUp).map(read)),
    async close() {
      await t.close();
      await smtp.close();
    },
  };
}

// A shop with a dashboard: the app listening on 127.0.0.1, one user per role (known passwords),
// two customers with an order each, and a concern raised about one of them, which the listener
// turned into a task for a rep. Sign-in goes through the real form (CSRF cookie and token).
import type { DomainEvent } from '../../src/core/domain.js';
import type { Role } from '../../src/core/roles.js';
import { FormClient } from './formClient.js';
import { DAY, T0, dispatcherFor, openTestApp, type TestApp } from './harness.js';

export const PASSWORD = 'correct horse battery staple';
export const USERS: Record<Role, string> = {
  owner: 'olivia@shop.test',
  manager: 'max@shop.test',
  rep: 'ravi@shop.test',
  viewer: 'vera@shop.test',
};
export const ADA_ID = 'cus-ada';
export const GRACE_ID = 'cus-grace';

export interface DashboardWorld {
  t: TestApp;
  base: string;
  /** The task the concern made. */
  taskId: string;
  close(): Promise<void>;
}

function placed(id: string, customerId: string, email: string, firstName: string): DomainEvent {
  return {
    id: `placed-${id}`,
    type: 'order.placed',
    at: T0,
    customerId,
    orderId: id,
    customer: {
      customerId,
      email,
      firstName,
      lastName: 'Tester',
      phone: '+44 20 7946 0018',
      timezone: 'Europe/London',
    },
    order: { placedAt: T0, currency: 'GBP', total: 129.5, number: `#${id}` },
    data: {},
  };
}

/**
 * On SQLite unless asked for PostgreSQL (a schema of its own); `env`: more configuration (an
 * SMTP server, integrations' secrets).
 */
export async function openDashboardWorld(
  options: { store?: 'sqlite' | 'postgres'; env?: Record<string, string> } = {},
): Promise<DashboardWorld> {
  const t = await openTestApp(
    { AFTERCARE_TIMEZONE: 'Europe/London', ...options.env },
    { store: options.store },
  );
  const { commands } = t.composed;
  for (const [role, email] of Object.entries(USERS)) {
    const created = await commands.users.create({ email, role, name: `${role} person`, password: PASSWORD });
    if (!created.ok) throw new Error(`could not create ${email}`);
  }
  await commands.ingest.events([
    placed('1001', ADA_ID, 'ada.lovelace@example.com', 'Ada'),
    placed('1002', GRACE_ID, 'grace.hopper@example.com', 'Grace'),
    {
      id: 'helpdesk-1',
      type: 'concern.raised',
      at: T0 + DAY,
      customerId: ADA_ID,
      orderId: '1001',
      data: { severity: 'high', summary: 'lamp arrived with a cracked shade' },
    },
  ]);
  t.clock.set(T0 + DAY + 60_000);
  await t.composed.listener.hearPending();
  const [task] = await commands.tasks.list({ customerId: ADA_ID, status: 'open' });
  if (task === undefined) throw new Error('the concern made no task');
  const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  return { t, base, taskId: task.id, close: () => t.close() };
}

/** A FormClient that signs in with the world's password unless told another. */
export class Client extends FormClient {
  override signIn(email: string, password = PASSWORD): Promise<Response> {
    return super.signIn(email, password);
  }
}

/**
 * Sends what is due now with the production dispatcher (e-mail as .eml copies in the outbox
 * folder, or to `smtpUrl`); resolves to the ids of the touch points sent.
 */
export async function sendDue(w: DashboardWorld, smtpUrl: string | null = null): Promise<string[]> {
  const { dispatcher, outcomes, channels } = dispatcherFor(w.t, smtpUrl);
  try {
    await dispatcher.runUntilIdle();
  } finally {
    await channels.close();
  }
  return outcomes.filter((o) => o.applied && o.outcome.kind === 'sent').map((o) => o.touchPoint.id);
}

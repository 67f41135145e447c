// The brief a rep reads before calling or answering a customer with a concern: what happened,
// how warm the customer is and why, what we last sent them, their orders, and what to do. Plain
// text, written from the customer's record alone (no template: it must work for every concern).
import type { Customer, Millis, Order, TouchPoint } from '../domain.js';
import { toLocalIso } from '../localTime.js';
import type { Concern } from './types.js';

/** What the rep is asked to follow up: a concern, or a reply or callback without one. */
export interface Happening {
  summary: string;
  source: string;
  severity: Concern['severity'] | null;
  at: Millis;
  orderId: string | null;
}

export interface ConcernBrief {
  happened: Happening;
  customer: Customer;
  orders: readonly Order[];
  touchPoints: readonly TouchPoint[];
  /** The zone times are shown in (the customer's, else the business's). */
  zone: string;
  /** A reply is answered in writing; everything else is a call. */
  kind: 'call' | 'reply';
}

const RECENT_TOUCH_POINTS = 5;
const RECENT_ORDERS = 5;

export function careTitle(brief: Pick<ConcernBrief, 'happened' | 'customer' | 'kind'>): string {
  const verb = brief.kind === 'reply' ? 'Answer' : 'Call';
  return `${verb} ${nameOf(brief.customer)}: ${brief.happened.summary}`;
}

export function careScript(brief: ConcernBrief): string {
  const { happened, customer, zone } = brief;
  const when = (at: Millis): string => toLocalIso(at, zone).slice(0, 16).replace('T', ' ');
  const lines: string[] = [];
  lines.push(`What happened: ${happened.summary}`);
  const severity = happened.severity === null ? '' : `; severity: ${happened.severity}`;
  lines.push(`Source: ${happened.source}${severity}; ${when(happened.at)} (${zone}).`);
  lines.push('');
  lines.push(`Customer: ${nameOf(customer)} (${customer.segment.toUpperCase()})`);
  const contact = [customer.phone, customer.email].filter((v) => v !== null).join(', ');
  lines.push(`Reach them: ${contact || 'no phone or e-mail on file'}; local zone ${zone}.`);
  lines.push(`Temperature: ${Math.round(customer.temperature)}/100 (50 is neutral).`);
  for (const reason of customer.temperatureReasons.slice(-5)) {
    lines.push(`  ${reason.delta > 0 ? '+' : ''}${reason.delta} ${reason.why} (${when(reason.at)})`);
  }
  lines.push('');
  const recent = [...brief.touchPoints]
    .filter((t) => t.status !== 'scheduled')
    .sort((a, b) => (b.outcomeAt ?? b.dueAt) - (a.outcomeAt ?? a.dueAt))
    .slice(0, RECENT_TOUCH_POINTS);
  lines.push(recent.length === 0 ? 'Recent touch points: none yet.' : 'Recent touch points:');
  for (const t of recent) {
    lines.push(`  ${t.stepKey} by ${t.channel}: ${t.status}, ${when(t.outcomeAt ?? t.dueAt)}`);
  }
  const orders = [...brief.orders].sort((a, b) => b.placedAt - a.placedAt).slice(0, RECENT_ORDERS);
  lines.push(orders.length === 0 ? 'Orders: none on file.' : 'Orders:');
  for (const o of orders) {
    const mark = o.id === happened.orderId ? ' <- this one' : '';
    lines.push(
      `  ${o.number ?? 'no order number'}: ${o.total.toFixed(2)} ${o.currency}, placed ${when(o.placedAt)}, ${statusOf(o)}${mark}`,
    );
  }
  lines.push('');
  lines.push('What to do:');
  lines.push(
    brief.kind === 'reply'
      ? '1. Read their message and answer it yourself, in plain words.'
      : '1. Call and listen first: let them tell it in their own words.',
  );
  lines.push('2. Acknowledge the problem and say who you are and that you own it now.');
  lines.push('3. Offer concrete help (replacement, repair, refund, a date) and agree the next step.');
  lines.push(
    '4. Record the outcome: resolved, callback (with a time), problem_found, reached, voicemail or no_answer.',
  );
  lines.push('Do not sell anything.');
  return lines.join('\n');
}

function nameOf(customer: Customer): string {
  const name = [customer.firstName, customer.lastName].filter((v) => v !== null).join(' ');
  return name || customer.email || customer.id;
}

/** The order's latest lifecycle moment, in words. */
function statusOf(order: Order): string {
  const m = order.moments;
  if (m.cancelled !== undefined) return 'cancelled';
  if (m.returned !== undefined) return 'returned';
  if (m.delivered !== undefined) return 'delivered';
  if (m.delayed !== undefined) return 'delayed';
  if (m.out_for_delivery !== undefined) return 'out for delivery';
  if (m.shipped !== undefined) return 'shipped';
  return 'placed';
}

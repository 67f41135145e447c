// The readable form of a simulation: one block per customer with their touch points in time
// order (in their own local time), then totals by outcome, step and channel.
import { describeReason } from '../core/reasons.js';
import type {
  Delivery,
  SimulatedConcern,
  SimulatedCustomer,
  SimulationSummary,
} from '../engine/simulation.js';

/** '2026-03-08T10:00:00.000-04:00' -> '2026-03-08 10:00 -04:00' */
function shortLocal(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}):\d{2}(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  if (!m) return iso;
  return `${m[1]} ${m[2]} ${m[3] === 'Z' ? '+00:00' : m[3]}`;
}

function pad(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text.padEnd(width);
}

/** 'temperature 38: NPS 2: arrived broken (-20), shipment 3 days late (-10)', the three largest moves. */
function describeTemperature(customer: SimulatedCustomer | undefined): string {
  if (customer === undefined) return '';
  const largest = [...customer.reasons].sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta)).slice(0, 3);
  const why = largest.map((r) => `${r.why} (${r.delta > 0 ? '+' : ''}${r.delta})`).join(', ');
  return `  temperature ${customer.temperature}${why ? `: ${why}` : ''}`;
}

/**
 * One block per customer: who, their final temperature and its largest reasons (what a rep
 * reads before calling), then every touch point and task in their local time.
 */
export function formatTimeline(
  deliveries: readonly Delivery[],
  customers: readonly SimulatedCustomer[] = [],
): string {
  const temperatures = new Map(customers.map((c) => [c.customer_id, c]));
  const byCustomer = new Map<string, Delivery[]>();
  for (const delivery of deliveries) {
    const list = byCustomer.get(delivery.customer_id);
    if (list) list.push(delivery);
    else byCustomer.set(delivery.customer_id, [delivery]);
  }
  const out: string[] = [];
  for (const [customerId, list] of byCustomer) {
    const first = list[0]!;
    const who = first.email ? `${first.email} (${customerId})` : customerId;
    // The holdout gets transactional messages and the measurement surveys, nothing of the program.
    const holdout = first.holdout ? '  [holdout: transactional messages and measurement surveys only]' : '';
    out.push(`${who}${holdout}${describeTemperature(temperatures.get(customerId))}`);
    for (const d of list) {
      const why = d.reason === null ? null : { code: d.reason, detail: d.reason_detail };
      const said = d.outcome === 'sent' ? (d.subject ? `"${d.subject}"` : '') : describeReason(why);
      const detail = d.measurement ? `${said} [measurement survey: both groups]` : said;
      out.push(
        `  ${shortLocal(d.local_at)}  ${pad(d.order_id ?? '-', 12)}${pad(d.step, 22)}${pad(d.channel, 13)}${pad(d.outcome, 10)}${detail}`.trimEnd(),
      );
    }
    out.push('');
  }
  return out.join('\n');
}

function counts(values: Record<string, number>): string {
  const entries = Object.entries(values).sort((a, b) => b[1] - a[1]);
  return entries.length === 0 ? 'none' : entries.map(([key, n]) => `${key} ${n}`).join(', ');
}

export function formatSummary(summary: SimulationSummary): string {
  const width = Math.max(0, ...Object.keys(summary.by_step).map((step) => step.length));
  return [
    `Simulated ${summary.days} days (${summary.start} .. ${summary.end}): ${summary.orders} orders, ` +
      `${summary.customers} customers (${summary.holdout_customers} in the holdout group)`,
    `  measured   ${summary.measurement_sent.treatment} measurement surveys sent to treatment, ` +
      `${summary.measurement_sent.holdout} to the holdout`,
    `  outcomes   ${counts(summary.by_outcome)}`,
    `  sent via   ${counts(summary.by_channel)}`,
    `  concerns   ${summary.concerns_opened} opened, ${summary.concerns_resolved} resolved, ` +
      `${summary.escalations} escalations`,
    '  by step',
    ...Object.entries(summary.by_step).map(
      ([step, outcomes]) => `    ${step.padEnd(width)}  ${counts(outcomes)}`,
    ),
    '',
  ].join('\n');
}

/** The concerns the period opened, each with its escalations and where it stands. */
export function formatConcerns(concerns: readonly SimulatedConcern[]): string {
  if (concerns.length === 0) return '';
  const out = ['Concerns'];
  for (const c of concerns) {
    const climbs = c.escalations.map((e) => `level ${e.level} at ${e.at}`).join(', ');
    const state = c.resolved_at ? `resolved ${c.resolved_at}` : `${c.status}, with ${c.owner ?? 'nobody'}`;
    out.push(`  ${c.opened_at}  ${pad(c.customer_id, 24)}${pad(c.severity, 9)}${c.summary}`);
    out.push(`      ${state}${climbs ? `; escalated: ${climbs}` : ''}`);
  }
  out.push('');
  return out.join('\n');
}

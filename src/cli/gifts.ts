// `aftercare gifts`: a day's gift tasks with where to send each and what the gift catalogue
// suggests within the order's budget (AFTERCARE_GIFTS_FILE), as text or JSON.
import { composeStore } from '../app/compose.js';
import { loadConfig } from '../config.js';
import { suggestGifts, type GiftSuggestion } from '../core/gifts.js';
import { dayWindow, formatIsoDay } from '../core/letters/day.js';
import { addressLines } from '../core/shippingAddress.js';
import type { PostalWork } from '../engine/commands/postal.js';
import { EXIT_OK } from './exit.js';
import { commandDay, commandZone } from './lettersDay.js';

export interface GiftsOptions {
  date: string;
  zone?: string;
  json?: boolean;
}

export interface GiftListing {
  taskId: string;
  status: string;
  owner: string | null;
  customer: { id: string; name: string | null; email: string | null };
  order: {
    id: string;
    number: string | null;
    total: number;
    currency: string;
    totalBase: number | null;
  } | null;
  /** Envelope lines; null when the order has no shipping address. */
  address: string[] | null;
  budget: { tier: string; amount: number; currency: string } | null;
  suggestions: { name: string; cost: number; note: string | null }[];
  /** Why there is no budget: no exchange rate for the order's currency, or above every tier. */
  problem: 'no_order' | 'no_rate' | 'above_tiers' | null;
}

export async function giftsCommand(options: GiftsOptions): Promise<number> {
  const config = loadConfig(process.env);
  const day = commandDay(options.date);
  const zone = commandZone(options.zone, config.policy.defaultTimezone);
  const app = await composeStore(config, { create: false });
  try {
    const work = await app.commands.postal.due({
      kind: 'gift',
      ...dayWindow(day, zone),
      includePrinted: true,
    });
    const gifts = work.map((item) =>
      listing(
        item,
        item.order === null ? null : suggestGifts(config.gifts, item.order, config.policy.currency),
      ),
    );
    const date = formatIsoDay(day);
    process.stdout.write(
      options.json ? `${JSON.stringify({ date, zone, gifts })}\n` : describe(date, zone, gifts),
    );
    return EXIT_OK;
  } finally {
    await app.close();
  }
}

function listing({ task, customer, order }: PostalWork, suggestion: GiftSuggestion | null): GiftListing {
  const name = [customer?.firstName, customer?.lastName].filter(Boolean).join(' ') || null;
  return {
    taskId: task.id,
    status: task.status,
    owner: task.owner,
    customer: { id: task.customerId, name, email: customer?.email ?? null },
    order:
      order === null
        ? null
        : {
            id: order.id,
            number: order.number,
            total: order.total,
            currency: order.currency,
            totalBase: suggestion?.totalBase ?? null,
          },
    address: order?.shippingAddress ? addressLines(order.shippingAddress) : null,
    budget:
      suggestion?.ok === true
        ? { tier: suggestion.tier.name, amount: suggestion.tier.budget, currency: suggestion.currency }
        : null,
    suggestions:
      suggestion?.ok === true
        ? suggestion.gifts.map((g) => ({ name: g.name, cost: g.cost, note: g.note }))
        : [],
    problem: suggestion === null ? 'no_order' : suggestion.ok ? null : suggestion.why,
  };
}

function describe(date: string, zone: string, gifts: GiftListing[]): string {
  if (gifts.length === 0) return `No gift tasks due ${date} (${zone}).\n`;
  const out = [`Gift tasks due ${date} (${zone}): ${gifts.length}`, ''];
  for (const g of gifts) {
    const who = g.customer.name ?? g.customer.email ?? g.customer.id;
    const order = g.order === null ? 'no order' : `order ${g.order.number ?? g.order.id}`;
    out.push(`${g.taskId}  ${who} · ${order} · ${g.status}${g.owner ? ` · ${g.owner}` : ''}`);
    out.push(
      `  Send to: ${g.address === null ? 'no shipping address on file: ask the customer first' : g.address.join(', ')}`,
    );
    if (g.budget !== null) {
      const base = g.order?.totalBase ?? 0;
      out.push(
        `  Budget: ${g.budget.amount} ${g.budget.currency} (tier ${g.budget.tier}; order ${base.toFixed(2)} ${g.budget.currency})`,
      );
      out.push(
        g.suggestions.length === 0
          ? '  Suggested: nothing in the catalogue fits this budget'
          : `  Suggested: ${g.suggestions.map((s) => `${s.name} (${s.cost} ${g.budget!.currency})`).join('; ')}`,
      );
    } else if (g.problem === 'no_rate') {
      out.push(`  Budget: unknown: ${g.order?.currency ?? ''} has no exchange rate (AFTERCARE_FX_RATES)`);
    } else if (g.problem === 'above_tiers') {
      out.push('  Budget: the order is above every tier of the gift catalogue');
    }
    out.push('');
  }
  return out.join('\n');
}

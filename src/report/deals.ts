// The report's deals section, for the terminal and the HTML file alike: customers whose plan was
// shared before the close against those whose was not, with the caveat that it is descriptive.
import type { SharedPlanComparison, SharedPlanGroup } from '../core/measuring/sharedPlans.js';
import { count, decimal, percent } from './format.js';

export const DEALS_TITLE = 'Deals: plan shared before closing, or not';
export const DEALS_HEADER = ['group', 'customers', 'renewed', 'renewal rate', 'NPS answers', 'NPS'] as const;

function cells(label: string, g: SharedPlanGroup): string[] {
  return [
    label,
    count(g.customers),
    `${count(g.renewed)} of ${count(g.renewable)}`,
    percent(g.renewalRate),
    count(g.npsAnswers),
    decimal(g.nps, 0),
  ];
}

/** The two rows, shared first; null when no deal has closed yet. */
export function dealsRows(deals: SharedPlanComparison | undefined): string[][] | null {
  if (deals === undefined || deals.shared.customers + deals.notShared.customers === 0) return null;
  return [cells('plan shared', deals.shared), cells('not shared', deals.notShared)];
}

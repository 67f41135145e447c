// Customers who came from a deal, in two groups: those whose plan was shared before the close (its
// proposal link handed out or opened) and those whose was not; renewal rate and NPS of each. A
// descriptive comparison only: who gets shown the plan is the salesperson's choice, not a random
// draw, so a difference here is not the plan's effect (docs/deals.md). Pure.

export interface SharedPlanRow {
  shared: boolean;
  /** The customer's latest NPS answer, if any. */
  nps: number | null;
  renewed: boolean;
  /** Renewal is a question for them (an order with a renewal date or period). */
  renewable: boolean;
}

export interface SharedPlanGroup {
  customers: number;
  /** Customers renewal is a question for, and those of them who renewed. */
  renewable: number;
  renewed: number;
  /** renewed / renewable; null without any renewable customer. */
  renewalRate: number | null;
  npsAnswers: number;
  /** % promoters (9-10) minus % detractors (0-6) of those who answered; null without answers. */
  nps: number | null;
}

export interface SharedPlanComparison {
  shared: SharedPlanGroup;
  notShared: SharedPlanGroup;
  /** Said with every figure: this compares groups that chose themselves. */
  kind: 'descriptive';
  note: string;
}

export const SHARED_PLAN_NOTE =
  'Descriptive, not a randomized lift: salespeople chose whom to show the plan, so the groups may differ in other ways.';

function group(rows: readonly SharedPlanRow[]): SharedPlanGroup {
  const renewable = rows.filter((r) => r.renewable);
  const renewed = renewable.filter((r) => r.renewed).length;
  const answers = rows.flatMap((r) => (r.nps === null ? [] : [r.nps]));
  const promoters = answers.filter((s) => s >= 9).length;
  const detractors = answers.filter((s) => s <= 6).length;
  return {
    customers: rows.length,
    renewable: renewable.length,
    renewed,
    renewalRate: renewable.length === 0 ? null : renewed / renewable.length,
    npsAnswers: answers.length,
    nps: answers.length === 0 ? null : (100 * (promoters - detractors)) / answers.length,
  };
}

export function compareSharedPlans(rows: readonly SharedPlanRow[]): SharedPlanComparison {
  return {
    shared: group(rows.filter((r) => r.shared)),
    notShared: group(rows.filter((r) => !r.shared)),
    kind: 'descriptive',
    note: SHARED_PLAN_NOTE,
  };
}

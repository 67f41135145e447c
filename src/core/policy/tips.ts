// A tip step (`tip: N`) sends tip N of the order's tip series, checked when it is due: the
// customer may have said they are all set (or given the order the top CSAT score) since it was
// planned, the series may be shorter, or no series may fit the order at all. Each ends the touch
// point with its own reason; an open concern and education switched off are checked before this
// (concernOpen.ts, preferences.ts).
import { EMPTY_TIP_CATALOGUE, chooseSeries, describeChoice } from '../education/series.js';
import type { Step } from '../playbook/types.js';
import { skip } from './result.js';
import type { Decision, DispatchContext, PolicyConfig } from './types.js';

const DONE_DETAIL = {
  all_set: 'the customer said they are all set',
  csat_top: 'the customer gave the top CSAT score (5 of 5)',
} as const;

export function checkTips(ctx: DispatchContext, step: Step, config: PolicyConfig): Decision | null {
  if (step.tip === undefined) return null;
  const { customer, order } = ctx;
  const done = customer.preferences.tipsDone?.find((d) => d.orderId === order.id);
  if (done !== undefined) return skip('tips_done', DONE_DETAIL[done.why]);
  const chosen = chooseSeries(config.tips ?? EMPTY_TIP_CATALOGUE, order, customer);
  if (chosen === null) return skip('no_tip_series', `no tip series fits this ${order.segment} order`);
  const count = chosen.series.tips.length;
  if (step.tip > count)
    return skip('tip_series_ended', `${describeChoice(chosen)} has ${count} tip${count === 1 ? '' : 's'}`);
  return null;
}

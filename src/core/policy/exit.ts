// Send-time exits: a touch point whose step is gone, whose program has ended or whose exit
// moment has arrived is cancelled, not sent. Mirrors the planner, which cancels the same touch
// points when the event arrives; this catches the ones already claimed or planned before it.
import { MOMENTS, isFollowUpMoment, type Moment, type Moments } from '../domain.js';
import { effectiveMoments, hasArrived, programExit } from '../lifecycle.js';
import { cancel } from './result.js';
import type { Decision, DispatchContext } from './types.js';

/** Without the playbook, these are the moments taken to end a program. */
const TERMINAL_MOMENTS: readonly Moment[] = ['returned', 'cancelled'];
const KNOWN_MOMENTS: ReadonlySet<string> = new Set(MOMENTS);

function isMoment(value: string | null): value is Moment {
  return value !== null && KNOWN_MOMENTS.has(value);
}

/** The moments the policies see: with the playbook, the derived ones too. */
export function momentsOf(ctx: DispatchContext): Moments {
  return ctx.playbook ? effectiveMoments(ctx.order, ctx.playbook) : ctx.order.moments;
}

/**
 * Why the program is over, or null while it runs: the exit moment that arrived (from the
 * playbook, else the enrollment's recorded reason), or '' when it ended for another reason.
 */
function programEnd(ctx: DispatchContext): Moment | '' | null {
  if (ctx.playbook) {
    const exit = programExit(ctx.order, ctx.playbook, ctx.now);
    if (exit !== null) return exit;
  }
  if (ctx.enrollment.status !== 'ended') return null;
  return isMoment(ctx.enrollment.endedReason) ? ctx.enrollment.endedReason : '';
}

/**
 * step_removed, then program_ended[:<moment>] (unless the step answers the exit, like a return
 * follow-up timed from `returned`), then exit_moment:<moment> for the step's own cancel-on.
 */
export function checkExit(ctx: DispatchContext): Decision | null {
  const { step, order, now } = ctx;
  if (step === null) return cancel('step_removed');
  const moments = momentsOf(ctx);
  const moment = step.timing.moment;
  // A follow-up answers the customer (their score, their concern), not the order's program: the
  // order's exit does not end it.
  const end = isFollowUpMoment(moment) ? null : programEnd(ctx);
  if (end !== null && !isFollowUpMoment(moment)) {
    const exits = ctx.playbook?.exitOn ?? (end === '' ? TERMINAL_MOMENTS : [end]);
    const answersExit = exits.includes(moment) && hasArrived(moment, order, moments, now);
    if (!answersExit) return cancel('program_ended', end === '' ? null : end);
  }
  const cancelledBy = step.cancelOn.find((moment) => hasArrived(moment, order, moments, now));
  return cancelledBy === undefined ? null : cancel('exit_moment', cancelledBy);
}

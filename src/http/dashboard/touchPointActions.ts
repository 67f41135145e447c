// A customer's scheduled touch points by hand, on their timeline: move one to another time (typed
// in the user's zone, kept in UTC), cancel it with a note, or send it now. Each form posts to the
// touch point commands and comes back to the timeline with what happened (post/redirect/get); a
// touch point that has gone out or ended meanwhile changes nothing, and the notice says what it
// is now. A touch point is reached only through its own customer's page.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TouchPoint } from '../../core/domain.js';
import { fromLocal, localParts } from '../../core/localTime.js';
import type { TouchPointChange } from '../../engine/commands/touchPoints.js';
import { AftercareError } from '../../errors.js';
import { firstOf, formOf } from '../public/form.js';
import { setFlash, type Flash } from './flash.js';
import { activeOf } from './guard.js';
import type { DashboardContext } from './index.js';
import { csrfField, esc, timeIn } from './layout.js';
import { DASHBOARD_PREFIX } from './routes.js';

/** Longest note a cancellation keeps (the reason's detail). */
export const CANCEL_NOTE_MAX = 500;

const two = (n: number): string => String(n).padStart(2, '0');

/** The key of a customer's timeline for notices (flash.ts). */
export const timelineFlashKey = (customerId: string): string => `customer:${customerId}`;

export const timelinePath = (customerId: string): string =>
  `${DASHBOARD_PREFIX}/customers/${encodeURIComponent(customerId)}`;

const actionPath = (tp: TouchPoint, action: 'move' | 'cancel' | 'send-now'): string =>
  `${timelinePath(tp.customerId)}/touch-points/${encodeURIComponent(tp.id)}/${action}`;

/** `2026-06-02T10:00`: the value of a datetime-local field for `at` in `zone`. */
export function localInputValue(at: number, zone: string): string {
  const p = localParts(at, zone);
  return `${String(p.year).padStart(4, '0')}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}`;
}

/** A datetime-local value read in `zone`; null when it is not a real day and time. */
export function parseLocalInput(raw: string, zone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2})?$/.exec(raw.trim());
  if (m === null) return null;
  const [year, month, day, hour, minute] = m.slice(1, 6).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return null;
  if (hour > 23 || minute > 59) return null;
  return fromLocal({ year, month, day, hour, minute }, zone);
}

const label = (tp: TouchPoint): string => `${tp.playbook} · ${tp.stepKey} by ${tp.channel}`;

/** What a touch point that is no longer scheduled is now, in words. */
function whatItIsNow(tp: TouchPoint, zone: string): string {
  const when = tp.outcomeAt === null ? '' : ` on ${timeIn(tp.outcomeAt, zone, true)}`;
  const why = tp.reason ? ` (${tp.reason.code})` : '';
  switch (tp.status) {
    case 'scheduled':
      return 'still scheduled';
    case 'claimed':
      return 'being sent right now';
    case 'sent':
      return `sent already${when}`;
    case 'skipped':
      return `skipped${why}${when}`;
    case 'failed':
      return `failed${why}${when}`;
    case 'cancelled':
      return `cancelled already${why}${when}`;
  }
}

/**
 * The customer's scheduled touch points, soonest first; with the forms to move, cancel or send
 * each when the user may change them.
 */
export function scheduledSection(input: {
  touchPoints: readonly TouchPoint[];
  zone: string;
  now: number;
  canChange: boolean;
  csrf: string;
}): string {
  const { zone, now, canChange, csrf } = input;
  // The earliest a move may name: the next minute (the field has no seconds; now is refused).
  const soonest = now + 60_000;
  const pending = input.touchPoints
    .filter((tp) => tp.status === 'scheduled' || tp.status === 'claimed')
    .sort((a, b) => a.dueAt - b.dueAt || a.id.localeCompare(b.id));
  const heading = '<h2 id="scheduled">Scheduled touch points</h2>';
  if (pending.length === 0) {
    return `<section class="card" aria-labelledby="scheduled">${heading}<p class="muted">Nothing scheduled.</p></section>`;
  }
  const items = pending.map((tp, i) => {
    const title = `<h3 id="tp-${i}">${esc(label(tp))}${tp.holdout ? ' (holdout)' : ''}</h3>
<p>Due ${esc(timeIn(tp.dueAt, zone, true))}${
      tp.status === 'claimed'
        ? ' · <strong>being sent right now</strong>'
        : tp.dueAt <= now
          ? ' · <strong>due now</strong>: it goes out with the next send'
          : ''
    }</p>`;
    if (!canChange || tp.status !== 'scheduled')
      return `<li class="tp" aria-labelledby="tp-${i}">${title}</li>`;
    const field = csrfField(csrf);
    return `<li class="tp" aria-labelledby="tp-${i}">${title}
<div class="actions">
<form method="post" action="${esc(actionPath(tp, 'move'))}">${field}
<label for="move-${i}">New time (${esc(zone)})</label>
<input id="move-${i}" name="dueAt" type="datetime-local" required value="${esc(localInputValue(Math.max(tp.dueAt, soonest), zone))}" min="${esc(localInputValue(soonest, zone))}">
<button type="submit">Move</button>
</form>
<form method="post" action="${esc(actionPath(tp, 'cancel'))}">${field}
<label for="note-${i}">Why cancel? (optional)</label>
<input id="note-${i}" name="note" type="text" maxlength="${CANCEL_NOTE_MAX}">
<button type="submit">Cancel it</button>
</form>
<form method="post" action="${esc(actionPath(tp, 'send-now'))}">${field}
<p class="label">Not waiting?</p>
<button type="submit">Send now</button>
</form>
</div></li>`;
  });
  return `<section class="card" aria-labelledby="scheduled">${heading}
<p class="muted">Soonest first; times in ${esc(zone)}.${canChange ? ' Quiet hours, caps and consent still apply when one is sent.' : ''}</p>
<ul class="touch-points">${items.join('\n')}</ul></section>`;
}

export function touchPointActionRoutes(context: DashboardContext): void {
  const { commands, clock, config } = context.deps;

  /** The touch point of the URL, only if it belongs to the customer of the URL. */
  async function touchPointOf(request: FastifyRequest): Promise<TouchPoint> {
    const { id, touchPointId } = request.params as { id: string; touchPointId: string };
    const found = await commands.touchPoints.get(touchPointId);
    if (found === null || found.customerId !== id) {
      throw new AftercareError('AFTERCARE_E_NOT_FOUND', 'This customer has no such touch point.', {
        customerId: id,
        touchPointId,
      });
    }
    return found;
  }

  /** Back to the timeline with what happened. */
  function back(request: FastifyRequest, reply: FastifyReply, tp: TouchPoint, flash: Flash): FastifyReply {
    setFlash(config, request, reply, timelineFlashKey(tp.customerId), flash);
    return reply.redirect(`${timelinePath(tp.customerId)}#scheduled`, 303);
  }

  /** The notice for a change the commands made, or the reason they made none. */
  function outcome(
    tp: TouchPoint,
    change: TouchPointChange,
    zone: string,
    done: (changed: TouchPoint) => string,
  ): Flash {
    if (change.ok) return { tone: 'notice', text: done(change.touchPoint) };
    if (change.why === 'not_found') {
      throw new AftercareError('AFTERCARE_E_NOT_FOUND', 'This customer has no such touch point.', {
        id: tp.id,
      });
    }
    return {
      tone: 'error',
      text: `Nothing changed: ${label(tp)} is ${whatItIsNow(change.current, zone)}.`,
    };
  }

  context.route('POST', '/customers/:id/touch-points/:touchPointId/move', async (request, reply) => {
    const { user } = activeOf(request);
    const zone = user.timeZone;
    const tp = await touchPointOf(request);
    const raw = firstOf(formOf(request.body), 'dueAt') ?? '';
    const dueAt = parseLocalInput(raw, zone);
    if (dueAt === null) {
      return back(request, reply, tp, {
        tone: 'error',
        text: `Nothing changed: “${raw.slice(0, 40)}” is not a day and a time. Pick both for ${label(tp)}.`,
      });
    }
    const now = clock.now();
    if (dueAt <= now) {
      return back(request, reply, tp, {
        tone: 'error',
        text: `Nothing changed: ${timeIn(dueAt, zone, true)} is in the past (it is ${timeIn(now, zone)} now). Pick a later time, or press Send now to send it at once.`,
      });
    }
    const change = await commands.touchPoints.move(tp.id, dueAt);
    request.log.info(
      { touchPoint: tp.id, customer: tp.customerId, dueAt, by: user.email, ok: change.ok },
      'touch point moved by hand',
    );
    return back(
      request,
      reply,
      tp,
      outcome(tp, change, zone, (moved) => `Moved ${label(moved)} to ${timeIn(moved.dueAt, zone, true)}.`),
    );
  });

  context.route('POST', '/customers/:id/touch-points/:touchPointId/cancel', async (request, reply) => {
    const { user } = activeOf(request);
    const tp = await touchPointOf(request);
    const note = (firstOf(formOf(request.body), 'note') ?? '').trim();
    if (note.length > CANCEL_NOTE_MAX) {
      return back(request, reply, tp, {
        tone: 'error',
        text: `Nothing changed: the note has ${note.length} characters; at most ${CANCEL_NOTE_MAX} are kept.`,
      });
    }
    // The reason's detail says who cancelled it, then their note: the timeline shows both.
    const change = await commands.touchPoints.cancel(
      tp.id,
      note === '' ? `by ${user.email}` : `by ${user.email}: ${note}`,
    );
    request.log.info(
      { touchPoint: tp.id, customer: tp.customerId, by: user.email, ok: change.ok },
      'touch point cancelled by hand',
    );
    return back(
      request,
      reply,
      tp,
      outcome(tp, change, user.timeZone, (cancelled) => `Cancelled ${label(cancelled)}.`),
    );
  });

  context.route('POST', '/customers/:id/touch-points/:touchPointId/send-now', async (request, reply) => {
    const { user } = activeOf(request);
    const tp = await touchPointOf(request);
    const change = await commands.touchPoints.sendNow(tp.id);
    request.log.info(
      { touchPoint: tp.id, customer: tp.customerId, by: user.email, ok: change.ok },
      'touch point sent now by hand',
    );
    return back(
      request,
      reply,
      tp,
      outcome(
        tp,
        change,
        user.timeZone,
        (due) =>
          `${label(due)} is due now and goes out with the next send (quiet hours and the other policies still apply).`,
      ),
    );
  });
}

// The outbox: what went out, newest first, a keyset page at a time, and one message as it was
// sent. The copy the e-mail outbox kept (its .eml file, named by touch point id) is shown when
// there is one; otherwise the step's template is rendered again from its pinned playbook version
// with the customer, the order and the time it was sent, as the dispatcher composed it. An erased
// customer's messages are never shown: their copies were deleted, and nothing is rendered again.
import { simpleParser } from 'mailparser';
import type { Customer, Millis, TouchPoint } from '../../core/domain.js';
import { AftercareError } from '../../errors.js';
import type { ReadStore } from '../../store/ports/reads.js';
import type { ComposeMessage, StepResolver } from '../dispatch/compose.js';

export const OUTBOX_PAGE_LIMIT = 100;

export interface SentMessage {
  touchPoint: TouchPoint;
  /** Null when the customer is no longer on file. */
  customer: Customer | null;
  erased: boolean;
}

export interface OutboxPage {
  items: SentMessage[];
  /** The cursor of the next page; null on the last. */
  next: string | null;
}

export interface OutboxQuery {
  channel?: string | null;
  stepKey?: string | null;
  cursor?: string | null;
  limit: number;
}

export interface MessageContent {
  subject: string;
  text: string;
  html: string | null;
}

export type SentPreview =
  | {
      ok: true;
      /** `copy`: the .eml file written when it was sent; `rendered`: its template rendered again now. */
      source: 'copy' | 'rendered';
      /** Where the copy is (source `copy`). */
      copyPath: string | null;
      message: MessageContent;
      sent: SentMessage;
    }
  | { ok: false; why: 'not_found' | 'not_sent' | 'erased' }
  /** No copy, and the step can no longer be rendered (its playbook version dropped it, or no order). */
  | { ok: false; why: 'not_renderable'; sent: SentMessage; detail: string };

/** Reads the copies the e-mail outbox keeps, by idempotency key (the touch point id). */
export interface SentCopyReader {
  read(idempotencyKey: string): Promise<{ path: string; rfc822: Buffer } | null>;
}

export interface OutboxCommands {
  list(query: OutboxQuery): Promise<OutboxPage>;
  preview(touchPointId: string): Promise<SentPreview>;
}

export interface OutboxDeps {
  reads: Pick<ReadStore, 'listSent' | 'getTouchPoint' | 'getCustomer' | 'getOrder'>;
  copies: SentCopyReader;
  /** The steps and the composer the dispatcher uses; absent: only copies can be shown. */
  render?: { steps: StepResolver; compose: ComposeMessage } | null;
}

export function isErased(customer: Customer): boolean {
  return customer.attributes.erased_at !== undefined;
}

/** `<sent time>.<id>`, base64url: opaque to people, checked when read back. */
export function outboxCursor(touchPoint: TouchPoint): string {
  return Buffer.from(JSON.stringify([touchPoint.outcomeAt ?? 0, touchPoint.id])).toString('base64url');
}

function parseCursor(cursor: string): { at: Millis; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    !Number.isSafeInteger(parsed[0]) ||
    typeof parsed[1] !== 'string'
  ) {
    throw new AftercareError('AFTERCARE_E_INPUT_INVALID', 'after: is not a cursor this page gave out', {
      field: 'after',
    });
  }
  return { at: parsed[0] as number, id: parsed[1] };
}

export function outboxCommands(deps: OutboxDeps): OutboxCommands {
  const { reads, copies } = deps;

  async function fromCopy(id: string): Promise<{ path: string; message: MessageContent } | null> {
    const copy = await copies.read(id);
    if (copy === null) return null;
    const mail = await simpleParser(copy.rfc822);
    return {
      path: copy.path,
      message: {
        subject: mail.subject ?? '',
        text: mail.text ?? '',
        html: typeof mail.html === 'string' ? mail.html : null,
      },
    };
  }

  async function rendered(sent: SentMessage): Promise<MessageContent | string> {
    const render = deps.render ?? null;
    if (render === null) return 'this process renders no templates';
    const { touchPoint, customer } = sent;
    if (customer === null) return 'the customer is no longer on file';
    const order = await reads.getOrder(touchPoint.orderId);
    if (order === null) return `order ${touchPoint.orderId} is no longer on file`;
    await render.steps.prepare([touchPoint]);
    const found = render.steps.resolve(touchPoint);
    if (found === null) {
      return `version ${touchPoint.playbookVersion} of playbook ${touchPoint.playbook} has no step ${touchPoint.stepKey}`;
    }
    const { message } = render.compose(
      { touchPoint, customer, order },
      found,
      touchPoint.outcomeAt ?? touchPoint.dueAt,
    );
    return { subject: message.subject, text: message.text, html: message.html };
  }

  return {
    async list(query) {
      const limit = Math.min(Math.max(1, Math.trunc(query.limit)), OUTBOX_PAGE_LIMIT);
      const before = query.cursor ? parseCursor(query.cursor) : null;
      const found = await reads.listSent({
        ...(query.channel ? { channel: query.channel } : {}),
        ...(query.stepKey ? { stepKey: query.stepKey } : {}),
        before,
        limit: limit + 1,
      });
      const page = found.slice(0, limit);
      const customers = new Map<string, Customer | null>();
      for (const id of new Set(page.map((t) => t.customerId))) customers.set(id, await reads.getCustomer(id));
      const items = page.map((touchPoint) => {
        const customer = customers.get(touchPoint.customerId) ?? null;
        return { touchPoint, customer, erased: customer !== null && isErased(customer) };
      });
      const last = page.at(-1);
      return { items, next: found.length > limit && last !== undefined ? outboxCursor(last) : null };
    },

    async preview(touchPointId) {
      const touchPoint = await reads.getTouchPoint(touchPointId);
      if (touchPoint === null) return { ok: false, why: 'not_found' };
      if (touchPoint.status !== 'sent') return { ok: false, why: 'not_sent' };
      const customer = await reads.getCustomer(touchPoint.customerId);
      if (customer !== null && isErased(customer)) return { ok: false, why: 'erased' };
      const sent: SentMessage = { touchPoint, customer, erased: false };
      const copy = await fromCopy(touchPoint.id);
      if (copy !== null) {
        return { ok: true, source: 'copy', copyPath: copy.path, message: copy.message, sent };
      }
      const again = await rendered(sent);
      if (typeof again === 'string') return { ok: false, why: 'not_renderable', sent, detail: again };
      return { ok: true, source: 'rendered', copyPath: null, message: again, sent };
    },
  };
}

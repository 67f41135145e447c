// The outbox: what went out, newest first, a keyset page at a time, and one message as it was
// sent. The copy the e-mail outbox kept (its .eml file, named by touch point id) is shown when
// there is one; otherwise the step's template is rendered again from its pinned playbook version
// with the customer, the order and the time it was sent, as the dispatcher composed it. An erased
// customer's messages are never shown: their copies were deleted, and nothing is rendered again.
import { simpleParser } from 'mailparser';
import type { Customer, Millis, Order, TouchPoint } from '../../core/domain.js';
import { localized, type OfferCatalogue } from '../../core/offers/offer.js';
import { scoreStory, useCasesOf } from '../../core/stories/match.js';
import type { Story, StoryMatch } from '../../core/stories/story.js';
import { AftercareError } from '../../errors.js';
import type { OffersStore } from '../../store/ports/offers.js';
import type { ReadStore } from '../../store/ports/reads.js';
import type { StoryStore } from '../../store/ports/stories.js';
import type { ComposeMessage, ResolvedStep, StepResolver } from '../dispatch/compose.js';
import type { GivenOffer } from '../dispatch/offer.js';

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
  reads: Pick<ReadStore, 'listSent' | 'getTouchPoint' | 'getCustomer' | 'getOrder' | 'listTouchPoints'>;
  copies: SentCopyReader;
  /** The steps and the composer the dispatcher uses; absent: only copies can be shown. */
  render?: {
    steps: StepResolver;
    compose: ComposeMessage;
    /** The offer catalogue and the codes given: the code this touch point's message carried. */
    offers?: { catalogue: OfferCatalogue | null; codes: Pick<OffersStore, 'forCustomer'> };
    /** The story library and who was told which: the story this touch point's message told. */
    stories?: { library: readonly Story[]; told: Pick<StoryStore, 'tellings'> };
  } | null;
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

type RenderDeps = NonNullable<OutboxDeps['render']>;

/** The insider offer the message carried: the code given to this touch point, and its offer. */
async function offerOf(
  offers: RenderDeps['offers'],
  touchPoint: TouchPoint,
  customer: Customer,
): Promise<GivenOffer | null> {
  if (offers === undefined || offers.catalogue === null) return null;
  const given = (await offers.codes.forCustomer(customer.id)).find((c) => c.touchPointId === touchPoint.id);
  const offer = offers.catalogue.offers.find((o) => o.id === given?.offerId);
  if (given === undefined || offer === undefined) return null;
  const locale = customer.locale ?? 'en';
  return {
    id: offer.id,
    code: given.code,
    title: localized(offer.title, locale),
    text: localized(offer.text, locale),
    insidersFrom: offer.insidersFrom,
    publicFrom: offer.publicFrom,
  };
}

/** The customer story the message told (the store remembers which, by touch point). */
async function storyOf(
  stories: RenderDeps['stories'],
  touchPoint: TouchPoint,
  customer: Customer,
  order: Order,
  found: ResolvedStep,
): Promise<StoryMatch | null> {
  if (stories === undefined || found.step.story !== true) return null;
  const telling = (await stories.told.tellings(customer.id)).find((t) => t.touchPointId === touchPoint.id);
  const story = stories.library.find((s) => s.id === telling?.storyId);
  if (story === undefined) return null;
  // Why it was chosen, as the dispatcher saw it (told before it was told: not counted).
  const scored = scoreStory(story, {
    segment: order.segment,
    items: order.items,
    useCases: useCasesOf(order.attributes, customer.attributes),
    locale: found.renderer.writtenIn(found.step.template, customer.locale ?? ''),
    told: new Set(),
  });
  return scored ?? { story, why: { product: null, category: null, useCase: null, segment: null }, score: 0 };
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

  /** The customer's other orders this message answered too: their touch points were `coalesced` into it. */
  async function ridersOf(touchPoint: TouchPoint, customer: Customer) {
    const skipped = await reads.listTouchPoints({ customerId: customer.id, status: 'skipped' });
    const riders = skipped.filter((t) => t.reason?.code === 'coalesced' && t.reason.detail === touchPoint.id);
    const orders = await Promise.all(riders.map((t) => reads.getOrder(t.orderId)));
    return riders.flatMap((t, i) => {
      const order = orders[i] ?? null;
      return order === null ? [] : [{ touchPoint: t, customer, order }];
    });
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
    const [offer, story, riders] = await Promise.all([
      offerOf(render.offers, touchPoint, customer),
      storyOf(render.stories, touchPoint, customer, order, found),
      ridersOf(touchPoint, customer),
    ]);
    const { message } = render.compose(
      { touchPoint, customer, order },
      found,
      touchPoint.outcomeAt ?? touchPoint.dueAt,
      riders,
      offer ?? undefined,
      story,
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

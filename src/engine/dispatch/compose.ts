// From a claimed touch point to the message a channel sends: the step it was planned under
// (its pinned playbook version), rendered with that version's templates in the customer's zone.
import type { BusinessInfo } from '../../core/business.js';
import type { Millis, TouchPoint } from '../../core/domain.js';
import { EMPTY_TIP_CATALOGUE, tipFor, type TipCatalogue } from '../../core/education/series.js';
import { giftSuggestionText, suggestGifts, type GiftCatalogue } from '../../core/gifts.js';
import type { CurrencyRates } from '../../core/money.js';
import { resolveZone } from '../../core/localTime.js';
import type { Playbook, Step } from '../../core/playbook/types.js';
import type { StoryMatch } from '../../core/stories/story.js';
import type { OutboundMessage } from '../../channels/port.js';
import type { ClaimedTouchPoint } from '../../store/ports/queue.js';
import { templateContext, type TemplateRenderer } from '../../templates/render.js';
import type { LinkTokens } from '../links/token.js';
import { buildMessage, domainOf, linksFor } from '../message.js';
import type { GivenOffer } from './offer.js';

export interface ResolvedStep {
  step: Step;
  playbook: Playbook;
  renderer: TemplateRenderer;
}

/** Which step of which playbook version: a touch point, or a send the store remembers. */
export type StepRef = Pick<TouchPoint, 'playbook' | 'playbookVersion' | 'stepKey'>;

/** The step each touch point was planned under (from its pinned playbook version). */
export interface StepResolver {
  /** Makes sure `resolve` can answer for these (loads stored versions). */
  prepare(touchPoints: readonly StepRef[]): Promise<void>;
  /** The step, or null when its playbook no longer runs it. */
  resolve(touchPoint: StepRef): ResolvedStep | null;
}

/**
 * `riders`: touch points of the customer's other orders this message also answers (coalesce.ts);
 * `story`: the customer story a story step tells (batch.ts matched it).
 */
export type ComposeMessage = (
  /** The enrollment is not read: the outbox composes a sent message again without one. */
  claim: Pick<ClaimedTouchPoint, 'touchPoint' | 'customer' | 'order'>,
  found: ResolvedStep,
  now: Millis,
  riders?: readonly Pick<ClaimedTouchPoint, 'touchPoint' | 'customer' | 'order'>[],
  /** The insider offer and code this message carries (offer.ts). */
  offer?: GivenOffer,
  /** The customer story a story step tells (core/stories/match.ts). */
  story?: StoryMatch | null,
) => { message: OutboundMessage; subject: string };

export interface ComposerOptions {
  business: BusinessInfo;
  publicUrl: string;
  defaultTimezone: string;
  /** Seals the token of every link (links/token.ts). */
  linkTokens: LinkTokens;
  /** Render the subject only (the simulator shows nothing else). */
  subjectOnly?: boolean;
  /** Gift tasks end with the catalogue's suggestions for the order's value tier (core/gifts.ts). */
  gifts?: { catalogue: GiftCatalogue; fx: CurrencyRates } | undefined;
  /** The tip series a `tip: N` step's e-mail reads as `tip` (core/education/series.ts). */
  tips?: TipCatalogue | undefined;
}

export function messageComposer(options: ComposerOptions): ComposeMessage {
  const messageDomain = domainOf(options.business.fromEmail);
  return ({ touchPoint, customer, order }, { step, renderer }, now, riders = [], offer, story = null) => {
    const zone = resolveZone(customer.timezone, options.defaultTimezone);
    const trackingUrl = order.shipments.find((s) => s.trackingUrl)?.trackingUrl ?? null;
    const links = linksFor({
      publicUrl: options.publicUrl,
      touchPoint,
      step,
      trackingUrl,
      tokens: options.linkTokens,
      now,
    });
    const context = templateContext({
      customer,
      order,
      // Every order the message answers, first placed first.
      orders: [order, ...riders.map((r) => r.order)].sort(
        (a, b) => a.placedAt - b.placedAt || a.sequence - b.sequence,
      ),
      touchPoint,
      step,
      business: options.business,
      links,
      now,
      zone,
      offer: offer ?? null,
      story,
    });
    if (step.tip !== undefined) {
      // The send-time policy made sure the order has this tip (core/policy/tips.ts).
      const tip = tipFor(options.tips ?? EMPTY_TIP_CATALOGUE, step.tip, order, customer);
      if (tip === null) throw new Error(`no tip ${step.tip} in the tip series of order ${order.id}`);
      context['tip'] = tip;
    }
    // Task scripts are short and their title is what a listing shows: render them whole.
    let rendered =
      options.subjectOnly && !touchPoint.channel.startsWith('task:')
        ? { subject: renderer.renderSubject(step.template, context), title: '', text: '', html: null }
        : renderer.render(step.template, context);
    if (touchPoint.channel === 'task:gift' && options.gifts) {
      const suggestion = suggestGifts(options.gifts.catalogue, order, options.gifts.fx);
      rendered = { ...rendered, text: `${rendered.text}\n\n${giftSuggestionText(suggestion, order)}` };
    }
    const message = buildMessage({ touchPoint, step, customer, rendered, links, messageDomain, now });
    return { message, subject: rendered.subject || rendered.title };
  };
}

// Turns a claimed touch point and its rendered template into the OutboundMessage a channel
// sends: stable Message-ID, links, and the headers every non-transactional email carries.
import type { Customer, Millis, TaskKind, TouchPoint } from '../core/domain.js';
import type { Step } from '../core/playbook/types.js';
import type { OutboundMessage } from '../channels/port.js';
import type { RenderedTemplate } from '../templates/render.js';
import { messageIdFor } from './messageId.js';
import type { LinkPurpose, LinkTokens } from './links/token.js';

/** The Message-ID lives in messageId.ts (replies read it back); kept here for existing imports. */
export { messageIdFor };

export function domainOf(email: string): string {
  const at = email.lastIndexOf('@');
  return at >= 0 && at < email.length - 1 ? email.slice(at + 1) : 'aftercare.local';
}

/**
 * The links a message carries, each with a sealed token (links/token.ts) that says what it is for,
 * whose it is and until when: unsubscribe, preferences, the survey (only on a step that asks one),
 * the customer's plan, and help. The pages behind them are src/http/public/.
 */
export function linksFor(args: {
  publicUrl: string;
  touchPoint: TouchPoint;
  step: Step;
  trackingUrl: string | null;
  tokens: LinkTokens;
  now: Millis;
}): Record<string, string> {
  const { touchPoint, tokens, now } = args;
  const base = args.publicUrl.replace(/\/+$/, '');
  const lifetimes = tokens.lifetimes;
  // A link about a touch point names it alone (its order is read with it): shorter links.
  const token = (purpose: LinkPurpose, touchPointId: string | null): string =>
    tokens.issue({
      purpose,
      customerId: touchPoint.customerId,
      touchPointId,
      orderId: touchPointId === null ? touchPoint.orderId : null,
      expiresAt: now + lifetimes[purpose],
    });
  const links: Record<string, string> = { help: `${base}/help` };
  // Each token is sealed only when the template (or the List-Unsubscribe header) reads its link:
  // a message that names only the unsubscribe and plan links pays for two seals, not four.
  const sealed = (name: string, make: () => string): void => {
    let value: string | null = null;
    Object.defineProperty(links, name, { enumerable: true, get: () => (value ??= make()) });
  };
  sealed('unsubscribe', () => `${base}/u/${token('unsubscribe', touchPoint.id)}`);
  sealed('preferences', () => `${base}/preferences/${token('preferences', touchPoint.id)}`);
  sealed('plan', () => `${base}/plan/${token('plan', null)}`);
  if (args.step.survey !== null) sealed('survey', () => `${base}/s/${token('survey', touchPoint.id)}`);
  // A tip e-mail's "I'm all set, no more tips" (http/public/tips.ts).
  if (args.step.tip !== undefined) sealed('tips_done', () => `${base}/tips/${token('tips', touchPoint.id)}`);
  if (args.trackingUrl) links.tracking = args.trackingUrl;
  return links;
}

export function buildMessage(args: {
  touchPoint: TouchPoint;
  step: Step;
  customer: Customer;
  rendered: RenderedTemplate;
  links: Record<string, string>;
  messageDomain: string;
  now: Millis;
}): OutboundMessage {
  const { touchPoint, step, customer, rendered, links } = args;
  const headers: Record<string, string> = { 'X-Aftercare-Touch-Point': touchPoint.id };
  if (touchPoint.purpose !== 'transactional' && touchPoint.channel === 'email' && links.unsubscribe) {
    // RFC 8058 one-click unsubscribe on every non-transactional message.
    headers['List-Unsubscribe'] = `<${links.unsubscribe}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(' ') || null;
  const taskKind = touchPoint.channel.startsWith('task:') ? (touchPoint.channel.slice(5) as TaskKind) : null;
  return {
    touchPointId: touchPoint.id,
    idempotencyKey: touchPoint.id,
    messageId: messageIdFor(touchPoint.id, args.messageDomain),
    channel: touchPoint.channel,
    purpose: touchPoint.purpose,
    customerId: touchPoint.customerId,
    orderId: touchPoint.orderId,
    stepKey: touchPoint.stepKey,
    to: { email: customer.email, phone: customer.phone, name },
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    headers,
    task: taskKind
      ? { kind: taskKind, title: rendered.title || rendered.subject, dueAt: args.now, owner: step.owner }
      : null,
  };
}

// Turns a claimed touch point and its rendered template into the OutboundMessage a channel
// sends: stable Message-ID, links, and the headers every non-transactional email carries.
import type { Customer, Millis, TaskKind, TouchPoint } from '../core/domain.js';
import type { Step } from '../core/playbook/types.js';
import type { OutboundMessage } from '../channels/port.js';
import type { RenderedTemplate } from '../templates/render.js';
import { messageIdFor } from './messageId.js';

/** The Message-ID lives in messageId.ts (replies read it back); kept here for existing imports. */
export { messageIdFor };

export function domainOf(email: string): string {
  const at = email.lastIndexOf('@');
  return at >= 0 && at < email.length - 1 ? email.slice(at + 1) : 'aftercare.local';
}

/** Links a message may carry; the public pages behind them belong to the HTTP layer. */
export function linksFor(
  publicUrl: string,
  touchPoint: TouchPoint,
  trackingUrl: string | null,
): Record<string, string> {
  const base = publicUrl.replace(/\/+$/, '');
  const ref = encodeURIComponent(touchPoint.id);
  const links: Record<string, string> = {
    unsubscribe: `${base}/u/${ref}`,
    survey: `${base}/s/${ref}`,
    plan: `${base}/p/${encodeURIComponent(touchPoint.orderId)}`,
    help: `${base}/help`,
  };
  if (trackingUrl) links.tracking = trackingUrl;
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

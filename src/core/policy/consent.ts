// Consent and reachability, checked at send time (not only when planned): an unsubscribe, a
// bounce or a suppression that arrived after planning still stops the message.
import { skip } from './result.js';
import type { Decision, DispatchContext } from './types.js';

/**
 * unsubscribed: no non-transactional touch point on any channel, tasks included.
 * Transactional ones still go out, but never by e-mail to a missing, bounced or suppressed
 * address, nor by SMS without a phone number. The suppression list holds e-mail addresses, so
 * it stops e-mail only.
 */
export function checkConsent(ctx: DispatchContext): Decision | null {
  const { customer, touchPoint } = ctx;
  if (touchPoint.purpose !== 'transactional' && customer.unsubscribedAt !== null) {
    return skip('unsubscribed');
  }
  switch (touchPoint.channel) {
    case 'email':
      if (customer.email === null || customer.email.trim() === '') return skip('no_address');
      if (customer.emailBouncedAt !== null) return skip('email_bounced');
      if (ctx.suppressed) return skip('suppressed');
      return null;
    case 'sms':
      if (customer.phone === null || customer.phone.trim() === '') return skip('no_address');
      return null;
    case 'webhook':
    case 'task:call':
    case 'task:meeting':
    case 'task:letter':
    case 'task:gift':
    case 'task:reply':
      return null;
  }
}

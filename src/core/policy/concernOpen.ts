// While a customer has an open concern, a person is handling it: reassurance from that person
// takes over. Automation that would talk past them (offers, tips, surveys, cheerful check-in
// e-mails) is skipped; transactional messages and tasks for people still go.
import type { Step } from '../playbook/types.js';
import { skip } from './result.js';
import type { Decision, DispatchContext } from './types.js';

export function checkConcernOpen(ctx: DispatchContext, step: Step): Decision | null {
  const { touchPoint, customer } = ctx;
  if (customer.openConcerns <= 0 || touchPoint.purpose === 'transactional') return null;
  const open = `${customer.openConcerns} open concern${customer.openConcerns === 1 ? '' : 's'}`;
  // A survey asks how we did while we are still fixing it: never, on any channel.
  if (step.survey !== null) return skip('concern_open', open);
  switch (touchPoint.purpose) {
    case 'offer':
    case 'education':
      return skip('concern_open', open);
    case 'reassurance':
      // A rep's call or letter is the reassurance from a person; an automated one is not.
      return touchPoint.channel === 'email' || touchPoint.channel === 'sms'
        ? skip('concern_open', open)
        : null;
  }
}

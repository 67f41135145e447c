// A customer wrote to us and no person has answered yet: an automated message now would talk
// past their reply. Optional e-mails and SMS wait (and are looked at again a day later) until a
// person has handled it; transactional messages and tasks for people go as planned.
import { skip, defer } from './result.js';
import type { WaitInput } from './preferences.js';
import type { Decision, DispatchContext, PolicyConfig } from './types.js';

export function checkAwaitingPerson(
  ctx: DispatchContext,
  config: PolicyConfig,
  input: WaitInput,
): Decision | null {
  const { touchPoint, customer, now } = ctx;
  if (customer.awaitingPersonSince === null || touchPoint.purpose === 'transactional') return null;
  if (touchPoint.channel !== 'email' && touchPoint.channel !== 'sms') return null;
  const until = input.settle(now + config.awaitingPersonRecheckMs);
  // Waiting on a person cannot make a message arbitrarily late.
  return until - input.plannedAt > config.maxLatenessMs
    ? skip('stale', 'a reply waited for a person')
    : defer(until, 'awaiting_person');
}

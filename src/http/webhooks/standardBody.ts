// The body of a Standard Webhooks delivery to /webhooks/standard: the spec's envelope
// `{ type, timestamp, data }` around the very fields of an API event (POST /api/v1/events),
// validated by the same schema, so a sender learns one shape for both. The event id is the
// delivery's webhook-id, which the sender keeps across retries.
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { INPUT_EVENT_TYPES } from '../../core/domain.js';
import { ignored, invalid, events, type Mapped } from '../../integrations/mapping.js';
import { idOf } from '../../integrations/payload.js';
import { single } from '../../integrations/signature.js';
import { eventInput } from '../schemas/inputs.js';
import { domainEvent } from '../toEvents.js';
import { issuesOf } from '../validate.js';

const ENVELOPE = z.object({
  type: z.string().max(100),
  timestamp: z.string().max(100),
  data: z.record(z.string(), z.unknown()),
});

const KNOWN_TYPES: ReadonlySet<string> = new Set(INPUT_EVENT_TYPES);

export function standardWebhookId(headers: IncomingHttpHeaders): string | null {
  return idOf(single(headers['webhook-id']));
}

export function mapStandard(webhookId: string, payload: unknown): Mapped {
  const envelope = ENVELOPE.safeParse(payload);
  if (!envelope.success) {
    const issue = issuesOf(envelope.error, 'body')[0];
    return invalid(issue?.field ?? '(body)', issue?.message ?? 'is not a Standard Webhooks payload');
  }
  const { type, timestamp, data } = envelope.data;
  // A sender may publish more event types than Aftercare reads; those are not errors.
  if (!KNOWN_TYPES.has(type)) return ignored(`event type ${type} is not an Aftercare event type`);
  if ('id' in data || 'type' in data || 'at' in data) {
    return invalid('data', 'must not carry id, type or at: they come from webhook-id, type and timestamp');
  }
  const parsed = eventInput.safeParse({ ...data, id: webhookId, type, at: timestamp });
  if (!parsed.success) {
    const issue = issuesOf(parsed.error, 'body')[0];
    const field = issue === undefined ? 'data' : issue.field === 'at' ? 'timestamp' : `data.${issue.field}`;
    return invalid(field, issue?.message ?? 'is invalid');
  }
  return events(domainEvent(parsed.data));
}

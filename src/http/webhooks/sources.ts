// The four webhook sources side by side: where each finds its secret, how it checks a signature
// and how it reads a verified payload. The route handler is the same for all of them.
import type { IncomingHttpHeaders } from 'node:http';
import type { Millis } from '../../core/domain.js';
import type { Config } from '../../config.js';
import { invalid, type Mapped, type Verification } from '../../integrations/mapping.js';
import { mapShopify, shopifyDelivery } from '../../integrations/shopify/map.js';
import { verifyShopify } from '../../integrations/shopify/signature.js';
import { standardKey, verifyStandard } from '../../integrations/standard/signature.js';
import { mapStripe } from '../../integrations/stripe/map.js';
import { verifyStripe } from '../../integrations/stripe/signature.js';
import { mapAfterShip } from '../../integrations/tracking/map.js';
import { verifyAfterShip } from '../../integrations/tracking/signature.js';
import { mapStandard, standardWebhookId } from './standardBody.js';

export const WEBHOOK_SOURCES = ['shopify', 'stripe', 'tracking', 'standard'] as const;
export type WebhookSourceName = (typeof WEBHOOK_SOURCES)[number];

export interface WebhookSource {
  name: WebhookSourceName;
  /** The secret's environment variable, for the "not configured" answer. */
  variable: string;
  secret(config: Readonly<Config>): string | null;
  verify(raw: Buffer, headers: IncomingHttpHeaders, secret: string, now: Millis): Verification;
  /** Headers are passed for the sources that keep the topic or delivery id there. */
  map(headers: IncomingHttpHeaders, payload: unknown): Mapped;
}

export const SOURCES: Readonly<Record<WebhookSourceName, WebhookSource>> = {
  shopify: {
    name: 'shopify',
    variable: 'SHOPIFY_WEBHOOK_SECRET',
    secret: (config) => config.integrations.inbound.shopify,
    verify: (raw, headers, secret) => verifyShopify(raw, headers, secret),
    map: (headers, payload) => {
      const delivery = shopifyDelivery(headers);
      return 'kind' in delivery ? delivery : mapShopify(delivery, payload);
    },
  },
  stripe: {
    name: 'stripe',
    variable: 'STRIPE_WEBHOOK_SECRET',
    secret: (config) => config.integrations.inbound.stripe,
    verify: (raw, headers, secret, now) => verifyStripe(raw, headers, secret, now),
    map: (_headers, payload) => mapStripe(payload),
  },
  tracking: {
    name: 'tracking',
    variable: 'TRACKING_WEBHOOK_SECRET',
    secret: (config) => config.integrations.inbound.tracking,
    verify: (raw, headers, secret) => verifyAfterShip(raw, headers, secret),
    map: (_headers, payload) => mapAfterShip(payload),
  },
  standard: {
    name: 'standard',
    variable: 'STANDARD_WEBHOOK_SECRET',
    secret: (config) => config.integrations.inbound.standard,
    verify: (raw, headers, secret, now) => {
      // The configuration checked the secret's form; a key that does not decode verifies nothing.
      const key = standardKey(secret);
      return key === null ? { ok: false, reason: 'bad_signature' } : verifyStandard(raw, headers, key, now);
    },
    map: (headers, payload) => {
      const id = standardWebhookId(headers);
      return id === null ? invalid('webhook-id', 'header is not an id') : mapStandard(id, payload);
    },
  },
};

// The channels the configuration turns on: e-mail and tasks always, the webhook channel when
// endpoints are set, the SMS channel when an SMS account is. `serve` and `worker` both use it.
import type { Millis } from '../core/domain.js';
import type { Config } from '../config.js';
import type { IntegrationsConfig } from '../config/integrations.js';
import type { Store } from '../store/store.js';
import { DestinationGuard } from './destinationGuard.js';
import { createEmailChannel } from './email.js';
import type { Channel } from './port.js';
import { ChannelRouter } from './router.js';
import { TaskChannel } from './task.js';
import { createSmsChannel } from './sms.js';
import { createWebhookChannel } from './webhook.js';

export function integrationChannels(integrations: Readonly<IntegrationsConfig>): Channel[] {
  const channels: Channel[] = [];
  if (integrations.webhook !== null) {
    channels.push(
      createWebhookChannel({
        endpoints: integrations.webhook.endpoints,
        guard: new DestinationGuard({ allow: integrations.webhookAllow }),
      }),
    );
  }
  if (integrations.sms !== null) channels.push(createSmsChannel(integrations.sms));
  return channels;
}

/** Every channel a production process sends through, as the configuration sets them up. */
export function configuredChannels(config: Readonly<Config>, store: Store, now: () => Millis): ChannelRouter {
  return new ChannelRouter([
    createEmailChannel({
      smtpUrl: config.smtpUrl,
      outboxDir: config.outboxDir,
      from: config.emailFrom,
      dkim: config.dkim,
    }),
    new TaskChannel(store.tasks, now),
    ...integrationChannels(config.integrations),
  ]);
}

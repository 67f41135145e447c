// A channel that accepts every message and sends nothing, keeping only a count: `simulate`'s
// stand-in for e-mail, SMS and webhooks, which must not reach anyone and must not fill memory.
import type { ChannelName } from '../core/domain.js';
import type { Channel, OutboundMessage, SendReceipt } from './port.js';

export class CountingChannel implements Channel {
  readonly handles: readonly ChannelName[] = ['email', 'sms', 'webhook'];
  count = 0;

  send(message: OutboundMessage): Promise<SendReceipt> {
    this.count += 1;
    return Promise.resolve({ providerId: `sim:${message.touchPointId}` });
  }
}

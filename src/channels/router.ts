// Picks the channel adapter for a touch point's channel name. The first adapter listed for a
// name wins, so `[taskChannel, capture]` writes tasks and captures everything else.
import type { ChannelName } from '../core/domain.js';
import type { Channel } from './port.js';

export class ChannelRouter {
  private readonly byName = new Map<ChannelName, Channel>();
  private readonly channels: readonly Channel[];

  constructor(channels: Channel[]) {
    this.channels = [...new Set(channels)];
    for (const channel of this.channels) {
      for (const name of channel.handles) {
        if (!this.byName.has(name)) this.byName.set(name, channel);
      }
    }
  }

  /** The adapter for `name`, or undefined when none is configured (the dispatcher records a failure). */
  get(name: ChannelName): Channel | undefined {
    return this.byName.get(name);
  }

  /** Channel names some adapter serves. */
  names(): ChannelName[] {
    return [...this.byName.keys()];
  }

  /** Closes every adapter once (pooled SMTP connections and the like), even when one fails. */
  async close(): Promise<void> {
    const results = await Promise.allSettled(
      this.channels.map((channel) => channel.close?.() ?? Promise.resolve()),
    );
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

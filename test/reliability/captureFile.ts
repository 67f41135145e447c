// A channel for crash tests: every send is appended to a file as one JSON line and made durable
// (fdatasync) before the send counts as done, so whatever a killed worker sent is on record.
import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import type { ChannelName } from '../../src/core/domain.js';
import type { Channel, OutboundMessage, SendReceipt } from '../../src/channels/port.js';

export interface SentLine {
  touchPointId: string;
  messageId: string;
  worker: string;
}

export class FileCaptureChannel implements Channel {
  readonly handles: readonly ChannelName[] = ['email', 'sms', 'webhook'];
  private readonly fd: number;
  private count = 0;

  constructor(
    path: string,
    private readonly worker: string,
    private readonly delayMs = 0,
  ) {
    this.fd = openSync(path, 'a');
  }

  async send(message: OutboundMessage): Promise<SendReceipt> {
    // Stands in for the provider's latency, so kills land while sends are in flight.
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const line: SentLine = {
      touchPointId: message.touchPointId,
      messageId: message.messageId,
      worker: this.worker,
    };
    writeSync(this.fd, JSON.stringify(line) + '\n');
    fdatasyncSync(this.fd);
    this.count += 1;
    return { providerId: `${this.worker}:${this.count}` };
  }

  close(): Promise<void> {
    closeSync(this.fd);
    return Promise.resolve();
  }
}

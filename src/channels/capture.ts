// A channel that keeps what it is given in memory instead of sending it: `simulate`, the demo
// and tests read `sent` to see exactly what would have gone out.
import { CHANNELS, type ChannelName } from '../core/domain.js';
import type { Channel, OutboundMessage, SendReceipt } from './port.js';

export class CaptureChannel implements Channel {
  readonly handles: readonly ChannelName[];
  readonly sent: OutboundMessage[] = [];

  /** Serves every channel unless told which. */
  constructor(handles: readonly ChannelName[] = CHANNELS) {
    this.handles = handles;
  }

  send(message: OutboundMessage): Promise<SendReceipt> {
    // A copy, so a caller that reuses its message object cannot rewrite history.
    this.sent.push(structuredClone(message));
    return Promise.resolve({ providerId: `capture:${this.sent.length}` });
  }

  /** Captured messages for one touch point (a resend shows up twice). */
  forTouchPoint(touchPointId: string): OutboundMessage[] {
    return this.sent.filter((message) => message.touchPointId === touchPointId);
  }

  clear(): void {
    this.sent.length = 0;
  }
}

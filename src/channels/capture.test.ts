// The capture channel: what simulate and tests read instead of a mailbox.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHANNELS } from '../core/domain.js';
import { CaptureChannel } from './capture.js';
import type { OutboundMessage } from './port.js';

function message(touchPointId: string, channel: OutboundMessage['channel'] = 'email'): OutboundMessage {
  return {
    touchPointId,
    idempotencyKey: touchPointId,
    messageId: `<${touchPointId}@shop.example>`,
    channel,
    purpose: 'reassurance',
    customerId: 'cus_1',
    orderId: 'ord_1',
    stepKey: 'step',
    to: { email: 'ada@example.net', phone: null, name: null },
    subject: 'Hello',
    text: 'Body',
    html: null,
    headers: { 'X-Test': '1' },
    task: null,
  };
}

test('the capture channel keeps copies of what it was given, in order', async () => {
  const capture = new CaptureChannel();
  assert.deepEqual(capture.handles, CHANNELS);
  const first = message('tp_1');
  const receipt = await capture.send(first);
  await capture.send(message('tp_2', 'task:call'));
  await capture.send(message('tp_1'));
  assert.equal(receipt.providerId, 'capture:1');
  first.headers['X-Test'] = 'changed later';
  assert.deepEqual(
    capture.sent.map((m) => m.touchPointId),
    ['tp_1', 'tp_2', 'tp_1'],
  );
  assert.equal(capture.sent[0]!.headers['X-Test'], '1');
  assert.equal(capture.forTouchPoint('tp_1').length, 2);
  capture.clear();
  assert.equal(capture.sent.length, 0);
});

// Events that only restate their order's own record (a CSV row's placed, shipped, delivered,
// returned and cancelled columns) are kept on the order row as a small JSON array instead of as
// indexed timeline rows of their own. Nothing is lost: the timeline and duplicate checks read
// them back as ordinary stored events.
import type { EventType, StoredEvent } from '../../core/domain.js';

type Encoded = [id: string, type: string, at: number, receivedAt: number, data?: Record<string, unknown>];

export function encodeEmbedded(events: readonly StoredEvent[]): string {
  return JSON.stringify(
    events.map((e): Encoded => {
      const row: Encoded = [e.id, e.type, e.at, e.receivedAt];
      if (Object.keys(e.data).length > 0) row.push(e.data);
      return row;
    }),
  );
}

export function decodeEmbedded(text: string, customerId: string, orderId: string): StoredEvent[] {
  if (text === '[]' || text === '') return [];
  return (JSON.parse(text) as Encoded[]).map(([id, type, at, receivedAt, data]) => ({
    id,
    customerId,
    orderId,
    type: type as EventType,
    at,
    data: data ?? {},
    receivedAt,
  }));
}

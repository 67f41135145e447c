// What customers' events carry in `data` is named in camelCase (docs/listening.md). An events CSV
// or a helpdesk export often writes the same fields in snake_case (`concern_id`, `task_id`,
// `callback_at`, `touch_point_id`): the edges take either, and hand the listener one spelling.
const ALIASES: Readonly<Record<string, string>> = {
  concern_id: 'concernId',
  task_id: 'taskId',
  callback_at: 'callbackAt',
  touch_point_id: 'touchPointId',
};

/** `data` with the known snake_case names spelled as the listener reads them; a camelCase one wins. */
export function withListeningKeys(data: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  for (const [snake, camel] of Object.entries(ALIASES)) {
    if (!(snake in data)) continue;
    out ??= { ...data };
    if (!(camel in data)) out[camel] = data[snake];
    delete out[snake];
  }
  return out ?? data;
}

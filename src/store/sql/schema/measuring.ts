// 0008-measuring: the report's cells kept per placed day, so a report reads a few hundred rows
// instead of counting the whole history (store/sql/measuring.ts, docs/measuring.md "How the
// report stays fast").
//
// - measure_days: one row per UTC day orders were placed on: that day's cells as JSON, counted
//   by the same queries a full recount uses (sql/measuringCount.ts), repeat purchases counted as
//   if every order were old enough (the report applies its own cut when it reads).
// - measure_dirty: the days whose cells may have changed since they were counted. Triggers mark
//   them on every write that can move a count: touch points (added, removed, or a change of
//   status, reason, step, channel, customer or outcome time), enrollments (plan, version,
//   holdout), orders (a new or removed order marks every day its customer ordered on: the next
//   order and answer attribution reach across days; moments, segment, sequence), survey answers
//   and unsubscribes (every day of the customer), concerns and tasks. A mark on a day already
//   marked writes nothing, so a busy day costs one index probe per write.
// - measure_folding: days a fold has taken from measure_dirty and not yet stored; a fold that
//   dies leaves them here and the next one counts them again. Readers treat them as dirty.
//
// SQLite: row triggers (each a lookup of the order's day). PostgreSQL: statement triggers over
// transition tables, so a batch of 500 claimed touch points marks its few days in one INSERT.
import { sql, type Kysely, type Migration, type RawBuilder } from 'kysely';
import { columnTypes, type SqlDialectName } from './types.js';

const DAY = sql.lit(86_400_000);

/** The columns whose change moves a count, per table (both dialects). */
const WATCHED = {
  touch_points: [
    'status',
    'reason',
    'step_key',
    'channel',
    'customer_id',
    'outcome_at',
    'order_id',
    'playbook',
  ],
  enrollments: ['plan', 'playbook_version', 'holdout'],
  /** Orders whose change reaches only the order's own day. */
  orders_own: ['moments'],
  /** Orders whose change reaches every day of the customer (next order, answer attribution). */
  orders_customer: ['placed_at', 'customer_id', 'sequence', 'segment'],
  events: ['type', 'customer_id', 'data', 'at'],
  concerns: ['order_id', 'opened_at', 'resolved_at', 'level'],
  tasks: ['status', 'completed_at', 'touch_point_id'],
} as const;

export function measuringSchema(dialect: SqlDialectName, schema: string | null = null): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('measure_days')
        .addColumn('day', t.int, (c) => c.primaryKey())
        .addColumn('cells', t.text, (c) => c.notNull())
        .addColumn('counted_at', t.millis, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('measure_dirty')
        .addColumn('day', t.int, (c) => c.primaryKey())
        .execute();
      await db.schema
        .createTable('measure_folding')
        .addColumn('day', t.int, (c) => c.primaryKey())
        .addColumn('fold', t.key, (c) => c.notNull())
        .addColumn('taken_at', t.millis, (c) => c.notNull())
        .execute();
      // A day's recount starts from its orders, by the orders_placed index (0015-deals).
      const name = (table: string): RawBuilder<unknown> =>
        sql.table(schema === null ? table : `${schema}.${table}`);
      // Every day that has orders is dirty until a fold counts it.
      await sql`INSERT INTO ${name('measure_dirty')} (day)
        SELECT DISTINCT placed_at / ${DAY} FROM ${name('orders')}`.execute(db);
      const statements = dialect === 'sqlite' ? sqliteTriggers() : postgresTriggers(schema);
      for (const statement of statements) await sql.raw(statement).execute(db);
    },
  };
}

// ---- SQLite: row triggers ---------------------------------------------------------------------

function changed(columns: readonly string[]): string {
  return columns.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ');
}

function sqliteTriggers(): string[] {
  // Not INSERT OR IGNORE: an outer statement's conflict clause (an upsert) would override it.
  const mark = (days: string): string =>
    `INSERT INTO measure_dirty (day) SELECT DISTINCT m.d FROM (${days}) m WHERE m.d IS NOT NULL AND NOT EXISTS (SELECT 1 FROM measure_dirty x WHERE x.day = m.d);`;
  const markOrder = (ref: string): string =>
    mark(`SELECT placed_at / 86400000 AS d FROM orders WHERE id = ${ref}`);
  const markCustomer = (ref: string): string =>
    mark(`SELECT placed_at / 86400000 AS d FROM orders WHERE customer_id = ${ref}`);
  const markTask = (ref: string): string =>
    mark(
      `SELECT o.placed_at / 86400000 AS d FROM touch_points t JOIN orders o ON o.id = t.order_id WHERE t.id = ${ref}`,
    );
  const markDay = (ref: string): string => mark(`SELECT ${ref} / 86400000 AS d`);
  const trigger = (name: string, when: string, body: string): string =>
    `CREATE TRIGGER ${name} ${when} BEGIN ${body} END`;
  const events = `NEW.type IN ('survey.answered', 'customer.unsubscribed')`;
  const oldEvents = `OLD.type IN ('survey.answered', 'customer.unsubscribed')`;
  return [
    trigger('measure_tp_insert', 'AFTER INSERT ON touch_points', markOrder('NEW.order_id')),
    trigger('measure_tp_delete', 'AFTER DELETE ON touch_points', markOrder('OLD.order_id')),
    trigger(
      'measure_tp_update',
      `AFTER UPDATE ON touch_points WHEN ${changed(WATCHED.touch_points)}`,
      markOrder('NEW.order_id') + markOrder('OLD.order_id'),
    ),
    trigger('measure_enrollment_insert', 'AFTER INSERT ON enrollments', markOrder('NEW.order_id')),
    trigger('measure_enrollment_delete', 'AFTER DELETE ON enrollments', markOrder('OLD.order_id')),
    trigger(
      'measure_enrollment_update',
      `AFTER UPDATE ON enrollments WHEN ${changed(WATCHED.enrollments)}`,
      markOrder('NEW.order_id'),
    ),
    trigger('measure_order_insert', 'AFTER INSERT ON orders', markCustomer('NEW.customer_id')),
    trigger(
      'measure_order_delete',
      'AFTER DELETE ON orders',
      markCustomer('OLD.customer_id') + markDay('OLD.placed_at'),
    ),
    trigger(
      'measure_order_moments',
      `AFTER UPDATE ON orders WHEN ${changed(WATCHED.orders_own)}`,
      markOrder('NEW.id'),
    ),
    trigger(
      'measure_order_update',
      `AFTER UPDATE ON orders WHEN ${changed(WATCHED.orders_customer)}`,
      markCustomer('NEW.customer_id') + markCustomer('OLD.customer_id') + markDay('OLD.placed_at'),
    ),
    trigger('measure_event_insert', `AFTER INSERT ON events WHEN ${events}`, markCustomer('NEW.customer_id')),
    trigger(
      'measure_event_delete',
      `AFTER DELETE ON events WHEN ${oldEvents}`,
      markCustomer('OLD.customer_id'),
    ),
    trigger(
      'measure_event_update',
      `AFTER UPDATE ON events WHEN (${events} OR ${oldEvents}) AND (${changed(WATCHED.events)})`,
      markCustomer('NEW.customer_id') + markCustomer('OLD.customer_id'),
    ),
    trigger('measure_concern_insert', 'AFTER INSERT ON concerns', markOrder('NEW.order_id')),
    trigger('measure_concern_delete', 'AFTER DELETE ON concerns', markOrder('OLD.order_id')),
    trigger(
      'measure_concern_update',
      `AFTER UPDATE ON concerns WHEN ${changed(WATCHED.concerns)}`,
      markOrder('NEW.order_id') + markOrder('OLD.order_id'),
    ),
    trigger('measure_task_insert', 'AFTER INSERT ON tasks', markTask('NEW.touch_point_id')),
    trigger('measure_task_delete', 'AFTER DELETE ON tasks', markTask('OLD.touch_point_id')),
    trigger(
      'measure_task_update',
      `AFTER UPDATE ON tasks WHEN ${changed(WATCHED.tasks)}`,
      markTask('NEW.touch_point_id') + markTask('OLD.touch_point_id'),
    ),
  ];
}

// ---- PostgreSQL: statement triggers over transition tables -----------------------------------
//
// Two rules keep every plan right whatever the planner believes. A plpgsql statement's plan is
// made at its first firing on a connection and kept until the tables' statistics change, so it
// must serve 1 row and 1,000 rows alike; and the statistics of a store being filled (a new
// store, a bulk import) lag behind its size.
// - Orders are found by a LATERAL lookup per distinct key behind OFFSET 0 (which keeps PostgreSQL
//   from flattening it into a join): always an index probe per key. A plain join let the planner
//   hash the whole `orders` table for a batch of 1,000 (0008 as first shipped: ingest 43 % slower,
//   docs/benchmarks.md).
// - An UPDATE's changed rows are the new rows EXCEPT the old ones over the key and the watched
//   columns (and the other way round for the rows as they were): a set operation, never the
//   nested loop over new x old rows a plan cached from a 1-row update would run at 500 rows.

/** CREATE OR REPLACE FUNCTION for every `measure_mark_*` (0008 and 0020-measure-trigger-plans). */
export function postgresTriggerFunctions(schema: string | null): string[] {
  return postgresMarks(schema).map((m) => m.fn);
}

function postgresTriggers(schema: string | null): string[] {
  return postgresMarks(schema).flatMap((m) => [m.fn, ...m.triggers]);
}

function postgresMarks(schema: string | null): { fn: string; triggers: string[] }[] {
  const q = (table: string): string => (schema === null ? table : `"${schema}".${table}`);
  const insertDays = (select: string): string =>
    `INSERT INTO ${q('measure_dirty')} (day) SELECT DISTINCT d FROM (${select}) m(d) WHERE d IS NOT NULL ON CONFLICT DO NOTHING;`;
  /** The days of `found` (a query of one key `r.k`), once per distinct key of `keys`. */
  const perKey = (keys: string, found: string): string =>
    `SELECT x.d FROM (SELECT DISTINCT k FROM (${keys}) s(k) WHERE k IS NOT NULL) r CROSS JOIN LATERAL (${found} OFFSET 0) x(d)`;
  const ordersBy = (column: 'id' | 'customer_id'): string =>
    `SELECT o.placed_at / 86400000 FROM ${q('orders')} o WHERE o.${column} = r.k`;
  const orderDays = (rows: string, column = 'order_id'): string =>
    perKey(`SELECT ${column} FROM ${rows} z`, ordersBy('id'));
  const customerDays = (rows: string): string =>
    perKey(`SELECT customer_id FROM ${rows} z`, ordersBy('customer_id'));
  const taskDays = (rows: string): string =>
    perKey(
      `SELECT touch_point_id FROM ${rows} z`,
      `SELECT o.placed_at / 86400000 FROM ${q('touch_points')} t JOIN ${q('orders')} o ON o.id = t.order_id WHERE t.id = r.k`,
    );
  /** An UPDATE's rows whose key or watched columns changed, as they are or as they were. */
  const changedRows = (side: 'new' | 'old', columns: readonly string[], where = ''): string => {
    const list = columns.join(', ');
    const [from, other] = side === 'new' ? ['new_rows', 'old_rows'] : ['old_rows', 'new_rows'];
    return `(SELECT ${list} FROM ${from}${where} EXCEPT SELECT ${list} FROM ${other})`;
  };
  const counted = `type IN ('survey.answered', 'customer.unsubscribed')`;

  const mark = (table: string, insert: string, remove: string, update: string) => {
    const f = q(`measure_mark_${table}`);
    return {
      fn: `CREATE OR REPLACE FUNCTION ${f}() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    ${insert}
  ELSIF TG_OP = 'DELETE' THEN
    ${remove}
  ELSE
    ${update}
  END IF;
  RETURN NULL;
END
$fn$`,
      triggers: [
        `CREATE TRIGGER measure_${table}_insert AFTER INSERT ON ${q(table)} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${f}()`,
        `CREATE TRIGGER measure_${table}_delete AFTER DELETE ON ${q(table)} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${f}()`,
        `CREATE TRIGGER measure_${table}_update AFTER UPDATE ON ${q(table)} REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${f}()`,
      ],
    };
  };

  /**
   * A table keyed by `id` whose rows mark days through `days`: the new rows, the removed ones,
   * and an update's changed rows as they were and as they are.
   */
  const byRow = (table: string, days: (rows: string) => string, watched: readonly string[]) => {
    const columns = ['id', ...watched];
    return mark(
      table,
      insertDays(days('new_rows')),
      insertDays(days('old_rows')),
      insertDays(`${days(changedRows('new', columns))} UNION ALL ${days(changedRows('old', columns))}`),
    );
  };

  const ownColumns = ['id', ...WATCHED.orders_own];
  const customerColumns = ['id', ...WATCHED.orders_customer];
  const eventColumns = ['id', ...WATCHED.events];
  return [
    byRow('touch_points', orderDays, WATCHED.touch_points),
    mark(
      'enrollments',
      insertDays(orderDays('new_rows')),
      insertDays(orderDays('old_rows')),
      // Keyed by (order_id, playbook); neither changes.
      insertDays(orderDays(changedRows('new', ['order_id', 'playbook', ...WATCHED.enrollments]))),
    ),
    mark(
      'orders',
      insertDays(customerDays('new_rows')),
      insertDays(`${customerDays('old_rows')} UNION ALL SELECT placed_at / 86400000 FROM old_rows`),
      insertDays(
        `${orderDays(changedRows('new', ownColumns), 'id')} UNION ALL ` +
          `${customerDays(changedRows('new', customerColumns))} UNION ALL ` +
          `${customerDays(changedRows('old', customerColumns))} UNION ALL ` +
          `SELECT r.placed_at / 86400000 FROM ${changedRows('old', customerColumns)} r`,
      ),
    ),
    mark(
      'events',
      insertDays(customerDays(`(SELECT * FROM new_rows WHERE ${counted})`)),
      insertDays(customerDays(`(SELECT * FROM old_rows WHERE ${counted})`)),
      // A change marks the customer on each side where the event counts.
      insertDays(
        `${customerDays(changedRows('new', eventColumns, ` WHERE ${counted}`))} UNION ALL ` +
          customerDays(changedRows('old', eventColumns, ` WHERE ${counted}`)),
      ),
    ),
    byRow('concerns', orderDays, WATCHED.concerns),
    byRow('tasks', taskDays, WATCHED.tasks),
  ];
}

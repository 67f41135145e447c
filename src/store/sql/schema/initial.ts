// The first schema: customers, orders (with the events that only restate them), the timeline,
// enrollments holding their compact plan, queued touch points, tasks, concerns, consent, API access,
// playbook versions and the webhook inbox. Written once with the query builder for both dialects.
// No FOREIGN KEY clauses: intake writes parents and children in one transaction, and per-row key
// checks would tax bulk ingest for no extra safety. Every table carries customer_id (or is keyed
// by something that leads to it) so the schema can later be distributed by customer.
import { sql, type Kysely, type Migration } from 'kysely';
import { columnTypes, type SqlDialectName } from './types.js';

export function initialSchema(dialect: SqlDialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const schema = db.schema;
      await schema
        .createTable('customers')
        .addColumn('id', t.key, (c) => c.primaryKey())
        .addColumn('email', t.text)
        .addColumn('email_lower', t.key)
        .addColumn('first_name', t.text)
        .addColumn('last_name', t.text)
        .addColumn('phone', t.text)
        .addColumn('timezone', t.text)
        .addColumn('locale', t.text)
        .addColumn('segment', t.text, (c) => c.notNull())
        .addColumn('holdout', t.bool, (c) => c.notNull())
        .addColumn('temperature', t.real, (c) => c.notNull())
        .addColumn('temperature_reasons', t.text, (c) => c.notNull())
        .addColumn('open_concerns', t.int, (c) => c.notNull())
        .addColumn('awaiting_person_since', t.millis)
        .addColumn('last_nps', t.int)
        .addColumn('engaged_at', t.millis)
        .addColumn('preferences', t.text, (c) => c.notNull())
        .addColumn('unsubscribed_at', t.millis)
        .addColumn('email_bounced_at', t.millis)
        .addColumn('attributes', t.json, (c) => c.notNull())
        .addColumn('created_at', t.millis, (c) => c.notNull())
        .execute();
      await schema
        .createIndex('customers_email_lower')
        .on('customers')
        .column('email_lower')
        .where(sql.ref('email_lower'), 'is not', null)
        .execute();

      await schema
        .createTable('orders')
        .addColumn('id', t.key, (c) => c.primaryKey())
        .addColumn('customer_id', t.key, (c) => c.notNull())
        .addColumn('placed_at', t.millis, (c) => c.notNull())
        .addColumn('currency', t.text, (c) => c.notNull())
        .addColumn('total', t.real, (c) => c.notNull())
        .addColumn('segment', t.text, (c) => c.notNull())
        .addColumn('items', t.json, (c) => c.notNull())
        .addColumn('shipments', t.json, (c) => c.notNull())
        .addColumn('moments', t.json, (c) => c.notNull())
        .addColumn('attributes', t.json, (c) => c.notNull())
        .addColumn('embedded_events', t.text, (c) => c.notNull())
        .addColumn('updated_at', t.millis, (c) => c.notNull())
        .execute();
      await schema
        .createIndex('orders_customer')
        .on('orders')
        .columns(['customer_id', 'placed_at'])
        .execute();

      await schema
        .createTable('events')
        .addColumn('id', t.key, (c) => c.primaryKey())
        .addColumn('customer_id', t.key, (c) => c.notNull())
        .addColumn('order_id', t.key)
        .addColumn('type', t.text, (c) => c.notNull())
        .addColumn('at', t.millis, (c) => c.notNull())
        .addColumn('data', t.json, (c) => c.notNull())
        .addColumn('received_at', t.millis, (c) => c.notNull())
        // Null until the listener has heard it (only the kinds it listens to start out null).
        .addColumn('heard_at', t.millis)
        .execute();
      await schema
        .createIndex('events_unheard')
        .on('events')
        .columns(['received_at', 'id'])
        .where(sql.ref('heard_at'), 'is', null)
        .execute();
      await schema.createIndex('events_customer_at').on('events').columns(['customer_id', 'at']).execute();

      await schema
        .createTable('enrollments')
        .addColumn('order_id', t.key, (c) => c.notNull())
        .addColumn('playbook', t.key, (c) => c.notNull())
        .addColumn('customer_id', t.key, (c) => c.notNull())
        .addColumn('playbook_version', t.int, (c) => c.notNull())
        .addColumn('holdout', t.bool, (c) => c.notNull())
        .addColumn('status', t.text, (c) => c.notNull())
        .addColumn('ended_reason', t.text)
        .addColumn('enrolled_at', t.millis, (c) => c.notNull())
        .addColumn('plan', t.text, (c) => c.notNull())
        .addColumn('next_due_at', t.millis)
        .addColumn('next_priority', t.int)
        .addColumn('next_key', t.key)
        .addPrimaryKeyConstraint('enrollments_pk', ['order_id', 'playbook'])
        .execute();
      // The queue of plans: only enrollments with a step still to come are in it.
      await schema
        .createIndex('enrollments_due')
        .on('enrollments')
        .columns(['next_due_at', 'next_priority', 'next_key'])
        .where(sql.ref('next_due_at'), 'is not', null)
        .execute();

      await schema
        .createTable('touch_points')
        .addColumn('id', t.key, (c) => c.primaryKey())
        .addColumn('order_id', t.key, (c) => c.notNull())
        .addColumn('playbook', t.key, (c) => c.notNull())
        .addColumn('step_key', t.key, (c) => c.notNull())
        .addColumn('customer_id', t.key, (c) => c.notNull())
        .addColumn('playbook_version', t.int, (c) => c.notNull())
        .addColumn('channel', t.text, (c) => c.notNull())
        .addColumn('purpose', t.text, (c) => c.notNull())
        .addColumn('priority', t.int, (c) => c.notNull())
        .addColumn('holdout', t.bool, (c) => c.notNull())
        .addColumn('due_at', t.millis, (c) => c.notNull())
        .addColumn('status', t.text, (c) => c.notNull())
        .addColumn('attempt', t.int, (c) => c.notNull())
        .addColumn('lease_until', t.millis)
        .addColumn('claimed_by', t.text)
        .addColumn('reason', t.text)
        .addColumn('reason_detail', t.text)
        .addColumn('outcome_at', t.millis)
        .addColumn('provider_id', t.text)
        .addColumn('created_at', t.millis, (c) => c.notNull())
        .execute();
      await schema.createIndex('touch_points_order').on('touch_points').column('order_id').execute();
      // The claim reads these two; partial, so finished rows cost nothing.
      await schema
        .createIndex('touch_points_due')
        .on('touch_points')
        .columns(['due_at', 'priority', 'id'])
        .where(sql.ref('status'), '=', sql.lit('scheduled'))
        .execute();
      await schema
        .createIndex('touch_points_lease')
        .on('touch_points')
        .column('lease_until')
        .where(sql.ref('status'), '=', sql.lit('claimed'))
        .execute();
      // Frequency caps look at recent sends per customer.
      await schema
        .createIndex('touch_points_sent')
        .on('touch_points')
        .columns(['customer_id', 'outcome_at'])
        .where(sql.ref('status'), '=', sql.lit('sent'))
        .execute();

      await schema
        .createTable('tasks')
        .addColumn('id', t.key, (c) => c.primaryKey())
        .addColumn('touch_point_id', t.key, (c) => c.notNull().unique())
        .addColumn('customer_id', t.key, (c) => c.notNull())
        .addColumn('order_id', t.key)
        .addColumn('concern_id', t.key)
        .addColumn('kind', t.text, (c) => c.notNull())
        .addColumn('title', t.text, (c) => c.notNull())
        .addColumn('script', t.text, (c) => c.notNull())
        .addColumn('due_at', t.millis, (c) => c.notNull())
        .addColumn('owner', t.text)
        .addColumn('status', t.text, (c) => c.notNull())
        .addColumn('outcome', t.text)
        .addColumn('notes', t.text)
        .addColumn('created_at', t.millis, (c) => c.notNull())
        .addColumn('completed_at', t.millis)
        .execute();
      await schema.createIndex('tasks_status_due').on('tasks').columns(['status', 'due_at']).execute();
      await schema.createIndex('tasks_customer').on('tasks').column('customer_id').execute();

      // A customer's problems, owned by a person until resolved. Escalations are JSON text (the
      // ladder's history, read whole); next_escalation_at is the stored timer the sweep reads.
      await schema
        .createTable('concerns')
        .addColumn('id', t.key, (c) => c.primaryKey())
        .addColumn('customer_id', t.key, (c) => c.notNull())
        .addColumn('order_id', t.key)
        .addColumn('source', t.text, (c) => c.notNull())
        .addColumn('severity', t.text, (c) => c.notNull())
        .addColumn('summary', t.text, (c) => c.notNull())
        .addColumn('status', t.text, (c) => c.notNull())
        .addColumn('level', t.int, (c) => c.notNull())
        .addColumn('owner', t.text)
        .addColumn('opened_at', t.millis, (c) => c.notNull())
        .addColumn('acknowledged_at', t.millis)
        .addColumn('resolved_at', t.millis)
        .addColumn('resolution', t.text)
        .addColumn('escalations', t.text, (c) => c.notNull())
        .addColumn('next_escalation_at', t.millis)
        .addColumn('source_event_id', t.key, (c) => c.notNull())
        .execute();
      await schema
        .createIndex('concerns_customer')
        .on('concerns')
        .columns(['customer_id', 'opened_at'])
        .execute();
      await schema
        .createIndex('concerns_escalation')
        .on('concerns')
        .columns(['next_escalation_at', 'id'])
        .where(sql.ref('status'), '!=', sql.lit('resolved'))
        .execute();
      await schema.createIndex('concerns_opened').on('concerns').columns(['opened_at', 'id']).execute();

      // Keyed by sha256(lower(email)); the address itself is never stored.
      await schema
        .createTable('suppressions')
        .addColumn('email_hash', t.key, (c) => c.primaryKey())
        .addColumn('reason', t.text, (c) => c.notNull())
        .addColumn('created_at', t.millis, (c) => c.notNull())
        .execute();

      // Only the SHA-256 of a key is kept; the id is the key's public part.
      await schema
        .createTable('api_keys')
        .addColumn('id', t.key, (c) => c.primaryKey())
        .addColumn('name', t.text, (c) => c.notNull())
        .addColumn('hash', t.text, (c) => c.notNull())
        .addColumn('created_at', t.millis, (c) => c.notNull())
        .addColumn('revoked_at', t.millis)
        .execute();

      // One row per (API key, Idempotency-Key). status IS NULL while the request is processed;
      // expires_at is then the lock's end, afterwards the end of the replay window.
      await schema
        .createTable('idempotency_keys')
        .addColumn('api_key_id', t.key, (c) => c.notNull())
        .addColumn('key', t.key, (c) => c.notNull())
        .addColumn('fingerprint', t.text, (c) => c.notNull())
        .addColumn('token', t.text, (c) => c.notNull())
        .addColumn('status', t.int)
        .addColumn('body', t.text)
        .addColumn('created_at', t.millis, (c) => c.notNull())
        .addColumn('expires_at', t.millis, (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['api_key_id', 'key'])
        .execute();
      await schema
        .createIndex('idempotency_keys_expires')
        .on('idempotency_keys')
        .column('expires_at')
        .execute();

      await schema
        .createTable('playbook_versions')
        .addColumn('name', t.key, (c) => c.notNull())
        .addColumn('version', t.int, (c) => c.notNull())
        .addColumn('fingerprint', t.text, (c) => c.notNull())
        .addColumn('definition', t.text, (c) => c.notNull())
        .addColumn('templates', t.text, (c) => c.notNull())
        .addColumn('registered_at', t.millis, (c) => c.notNull())
        .addPrimaryKeyConstraint('playbook_versions_pk', ['name', 'version'])
        .execute();

      // Sequence numbers are never reused, so a late acknowledgement cannot remove a newer entry.
      await schema
        .createTable('inbox')
        .addColumn('seq', dialect === 'postgres' ? 'bigint' : 'integer', (c) =>
          dialect === 'postgres'
            ? c.primaryKey().generatedAlwaysAsIdentity()
            : c.primaryKey().autoIncrement(),
        )
        .addColumn('source', t.text, (c) => c.notNull())
        .addColumn('event', t.text, (c) => c.notNull())
        .addColumn('received_at', t.millis, (c) => c.notNull())
        .addColumn('lease_until', t.millis, (c) => c.notNull())
        .execute();
    },
  };
}

// Names inside the store's own PostgreSQL schema: every table is schema-qualified, so several
// Aftercare installations (or test files) can share one database, each in its own schema.
import { AftercareError } from '../../errors.js';

export const DEFAULT_SCHEMA = 'aftercare';

// Lower-case identifiers only: no quoting surprises, and room for the `_due` channel suffix
// within PostgreSQL's 63-byte limit.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,50}$/;

export interface SchemaNames {
  schema: string;
  quotedSchema: string;
  /** `"schema"."name"` */
  table(name: string): string;
  /** Index names are schema-local; they are created in the table's schema. */
  index(name: string): string;
  /** The LISTEN/NOTIFY channel on which new due work is announced (channels are database-wide). */
  dueChannel: string;
}

export function schemaNames(schema: string = DEFAULT_SCHEMA): SchemaNames {
  if (!SCHEMA_NAME.test(schema)) {
    throw new AftercareError(
      'AFTERCARE_E_CONFIG',
      `Invalid PostgreSQL schema name "${schema}": use lower-case letters, digits and _ (at most 51)`,
      { field: 'schema', value: schema },
    );
  }
  const quotedSchema = `"${schema}"`;
  return {
    schema,
    quotedSchema,
    table: (name) => `${quotedSchema}."${name}"`,
    index: (name) => `"${name}"`,
    dueChannel: `${schema}_due`,
  };
}

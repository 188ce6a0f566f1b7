import type { Queryable } from '../db/transaction';
import type { MappingDefinition } from './mapping';

export interface StoredMapping {
  name: string;
  definition: MappingDefinition;
  createdAt: Date;
  updatedAt: Date;
}

interface MappingRow {
  name: string;
  definition: MappingDefinition;
  created_at: Date;
  updated_at: Date;
  inserted?: boolean;
}

const TABLE = 'testapi_pact_mappings';

function toStored(row: MappingRow): StoredMapping {
  return { name: row.name, definition: row.definition, createdAt: row.created_at, updatedAt: row.updated_at };
}

/** Creates or replaces a mapping; `created` tells which (xmax = 0 only on a freshly inserted row). */
export async function upsertMapping(db: Queryable, name: string, definition: MappingDefinition): Promise<{ mapping: StoredMapping; created: boolean }> {
  const result = await db.query<MappingRow>(
    `INSERT INTO ${TABLE} (name, definition) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET definition = EXCLUDED.definition, updated_at = now()
     RETURNING name, definition, created_at, updated_at, (xmax = 0) AS inserted`,
    [name, JSON.stringify(definition)],
  );
  const row = result.rows[0]!;
  return { mapping: toStored(row), created: row.inserted === true };
}

export async function findMapping(db: Queryable, name: string): Promise<StoredMapping | undefined> {
  const result = await db.query<MappingRow>({
    // Named: every state change reads its mapping, so the plan is kept per connection.
    name: 'testapi_find_pact_mapping',
    text: `SELECT name, definition, created_at, updated_at FROM ${TABLE} WHERE name = $1`,
    values: [name],
  });
  return result.rows[0] ? toStored(result.rows[0]) : undefined;
}

export async function deleteMapping(db: Queryable, name: string): Promise<boolean> {
  const result = await db.query(`DELETE FROM ${TABLE} WHERE name = $1`, [name]);
  return result.rowCount === 1;
}

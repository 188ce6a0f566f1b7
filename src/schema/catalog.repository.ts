import type { Pool, PoolClient } from 'pg';
import type { OnDeleteAction } from './schema-model';

/**
 * Reads of pg_catalog for what TypeORM's QueryRunner.getTables() leaves out
 * or gets wrong for a foreign schema: domains (getTables reports their base
 * type), enum labels of domains, generated and identity columns, sequences
 * behind defaults, unique indexes in key order with their predicate, composite
 * foreign keys with their column pairing, CHECKs and triggers. Read-only.
 */
type Queryable = Pool | PoolClient;

export interface TableRow {
  schema: string;
  name: string;
  relkind: string;
  is_partition: boolean;
}

export async function listTables(db: Queryable, schemas: readonly string[]): Promise<TableRow[]> {
  const result = await db.query<TableRow>(
    `SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind, c.relispartition AS is_partition
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = ANY($1::text[]) AND c.relkind IN ('r', 'p')
     ORDER BY n.nspname, c.relname`,
    [schemas],
  );
  return result.rows;
}

export interface ColumnRow {
  schema: string;
  table: string;
  column: string;
  type: string;
  not_null: boolean;
  generated: string;
  identity: string;
  default_expr: string | null;
  typtype: string;
  type_name: string;
  /** For a domain: its base type; for an array: its element type; else the type itself. */
  base_name: string;
  base_typtype: string;
  is_array: boolean;
  domain_not_null: boolean;
  domain_checks: string[] | null;
  enum_labels: string[] | null;
}

export async function listColumns(db: Queryable, schemas: readonly string[]): Promise<ColumnRow[]> {
  const result = await db.query<ColumnRow>(
    `WITH cols AS (
       SELECT n.nspname AS schema, c.relname AS "table", a.attname AS "column", a.attnum,
              format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
              a.attgenerated::text AS generated, a.attidentity::text AS identity,
              pg_get_expr(d.adbin, d.adrelid) AS default_expr,
              t.oid AS type_oid, t.typtype::text AS typtype, t.typname AS type_name,
              t.typbasetype, t.typelem, t.typcategory, t.typnotnull AS domain_not_null
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE n.nspname = ANY($1::text[]) AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
     ), resolved AS (
       SELECT cols.*,
              -- A domain over an array, or an array of a domain: unwrap both once.
              CASE WHEN cols.typtype = 'd' THEN cols.typbasetype ELSE cols.type_oid END AS under_domain
       FROM cols
     )
     SELECT r.schema, r."table", r."column", r.type, r.not_null, r.generated, r.identity, r.default_expr,
            r.typtype, r.type_name,
            coalesce(elem.typname, under.typname) AS base_name,
            coalesce(elem.typtype, under.typtype)::text AS base_typtype,
            (under.typcategory = 'A') AS is_array,
            r.domain_not_null,
            CASE WHEN r.typtype = 'd' THEN
              (SELECT array_agg(pg_get_constraintdef(dc.oid) ORDER BY dc.conname) FROM pg_constraint dc WHERE dc.contypid = r.type_oid AND dc.contype = 'c')
            END AS domain_checks,
            (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = coalesce(elem.oid, under.oid)) AS enum_labels
     FROM resolved r
     JOIN pg_type under ON under.oid = r.under_domain
     LEFT JOIN pg_type elem ON under.typcategory = 'A' AND elem.oid = under.typelem
     ORDER BY r.schema, r."table", r.attnum`,
    [schemas],
  );
  return result.rows;
}

export interface ConstraintRow {
  schema: string;
  table: string;
  name: string;
  kind: 'p' | 'f' | 'c' | 'u';
  columns: string[];
  ref_schema: string | null;
  ref_table: string | null;
  ref_columns: string[] | null;
  on_delete: string | null;
  definition: string;
}

const ON_DELETE: Record<string, OnDeleteAction> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

export function onDeleteAction(code: string | null): OnDeleteAction {
  return ON_DELETE[code ?? 'a'] ?? 'NO ACTION';
}

/** Primary keys, foreign keys, CHECKs and unique constraints, columns in key order. */
export async function listConstraints(db: Queryable, schemas: readonly string[]): Promise<ConstraintRow[]> {
  const result = await db.query<ConstraintRow>(
    `SELECT n.nspname AS schema, c.relname AS "table", con.conname AS name, con.contype::text AS kind,
            (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns,
            rn.nspname AS ref_schema, rc.relname AS ref_table,
            (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS ref_columns,
            CASE WHEN con.contype = 'f' THEN con.confdeltype::text END AS on_delete,
            pg_get_constraintdef(con.oid) AS definition
     FROM pg_constraint con
     JOIN pg_class c ON c.oid = con.conrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_class rc ON rc.oid = con.confrelid
     LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
     WHERE n.nspname = ANY($1::text[]) AND con.contype IN ('p', 'f', 'c', 'u') AND c.relkind IN ('r', 'p')
       -- A partition inherits its parent's constraints: list them once, on the parent.
       AND NOT c.relispartition
     ORDER BY n.nspname, c.relname, con.conname`,
    [schemas],
  );
  return result.rows;
}

export interface UniqueIndexRow {
  schema: string;
  table: string;
  name: string;
  columns: string[] | null;
  predicate: string | null;
  definition: string;
}

/** Unique indexes that back no constraint (plain and partial ones, expression ones with their definition). */
export async function listUniqueIndexes(db: Queryable, schemas: readonly string[]): Promise<UniqueIndexRow[]> {
  const result = await db.query<UniqueIndexRow>(
    `SELECT n.nspname AS schema, c.relname AS "table", i.relname AS name,
            (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum) AS columns,
            pg_get_expr(ix.indpred, ix.indrelid) AS predicate,
            pg_get_indexdef(ix.indexrelid) AS definition
     FROM pg_index ix
     JOIN pg_class i ON i.oid = ix.indexrelid
     JOIN pg_class c ON c.oid = ix.indrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = ANY($1::text[]) AND ix.indisunique AND NOT c.relispartition
       AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid AND con.contype IN ('p', 'u'))
     ORDER BY n.nspname, c.relname, i.relname`,
    [schemas],
  );
  return result.rows;
}

export interface TriggerRow {
  schema: string;
  table: string;
  name: string;
  definition: string;
}

export async function listTriggers(db: Queryable, schemas: readonly string[]): Promise<TriggerRow[]> {
  const result = await db.query<TriggerRow>(
    `SELECT n.nspname AS schema, c.relname AS "table", t.tgname AS name, pg_get_triggerdef(t.oid) AS definition
     FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = ANY($1::text[]) AND NOT t.tgisinternal
     ORDER BY n.nspname, c.relname, t.tgname`,
    [schemas],
  );
  return result.rows;
}

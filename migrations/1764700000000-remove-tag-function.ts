import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The shop tables, children first, as they were when this migration was
 * written (a migration is frozen: a later table change brings its own).
 */
const TABLES = ['order_items', 'payments', 'shipments', 'orders', 'addresses', 'memberships', 'products', 'users', 'organizations'];

const deletes = TABLES.map((table) => `gone_${table} AS (DELETE FROM ${table} WHERE test_tag = p_tag RETURNING 1)`).join(',\n      ');
const counts = TABLES.map((table) => `SELECT '${table}'::text, count(*)::int FROM gone_${table}`).join('\n      UNION ALL ');
const anyLeft = TABLES.map((table) => `EXISTS (SELECT 1 FROM ${table} WHERE test_tag = p_tag)`).join('\n     OR ');
const leftCounts = TABLES.map((table) => `SELECT '${table}' AS t, count(*) AS rows_left FROM ${table} WHERE test_tag = p_tag`).join('\n        UNION ALL ');

/** The function as this migration creates it (a later migration's down restores it). */
export const REMOVE_TAG_FUNCTION_SQL = `CREATE FUNCTION testapi_remove_tag(p_tag text) RETURNS TABLE (table_name text, n int)
LANGUAGE plpgsql AS $fn$
DECLARE
  remaining jsonb;
BEGIN
  INSERT INTO test_tags (tag, expires_at) VALUES (p_tag, now())
    ON CONFLICT (tag) DO UPDATE SET expires_at = test_tags.expires_at;
  RETURN QUERY
    WITH ${deletes},
      gone_keys AS (DELETE FROM testapi_idempotency_keys WHERE tag = p_tag),
      gone_tag AS (DELETE FROM test_tags WHERE tag = p_tag)
      ${counts};
  IF ${anyLeft} THEN
    SELECT jsonb_object_agg(t, rows_left) INTO remaining FROM (
        ${leftCounts}
      ) left_rows WHERE rows_left > 0;
    RAISE EXCEPTION 'rows of tag % remain after deleting them', p_tag USING ERRCODE = 'TA001', DETAIL = remaining::text;
  END IF;
END
$fn$`;

/**
 * DELETE /tags/{tag} of a small tag in one round trip between BEGIN and
 * COMMIT: take the tag's registry row lock (the upsert provisioning also
 * starts with), delete everything the tag owns with its idempotency keys and
 * registration, then probe (one index lookup per table, no count) that
 * nothing of it is left. PL/pgSQL keeps each statement's plan for the
 * session, so a teardown loop neither re-plans nor pays a round trip per step.
 * A leftover raises SQLSTATE TA001 with the remaining rows per table as JSON
 * in DETAIL; the caller rolls back and reports it.
 */
export class RemoveTagFunction1764700000000 implements MigrationInterface {
  name = 'RemoveTagFunction1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(REMOVE_TAG_FUNCTION_SQL);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION testapi_remove_tag(text)`);
  }
}

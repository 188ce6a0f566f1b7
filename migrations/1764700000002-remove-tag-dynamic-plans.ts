import type { MigrationInterface, QueryRunner } from 'typeorm';
import { REMOVE_TAG_FUNCTION_SQL } from './1764700000000-remove-tag-function';

/** The shop tables, children first, as they were when this migration was written. */
const TABLES = ['order_items', 'payments', 'shipments', 'orders', 'addresses', 'memberships', 'products', 'users', 'organizations'];

const deletes = TABLES.map((table) => `gone_${table} AS (DELETE FROM ${table} WHERE test_tag = $1 RETURNING 1)`).join(', ');
const counts = TABLES.map((table) => `SELECT '${table}'::text, count(*)::int FROM gone_${table}`).join(' UNION ALL ');
const anyLeft = TABLES.map((table) => `EXISTS (SELECT 1 FROM ${table} WHERE test_tag = $1)`).join(' OR ');
const leftCounts = TABLES.map((table) => `SELECT '${table}' AS t, count(*) AS rows_left FROM ${table} WHERE test_tag = $1`).join(' UNION ALL ');

/**
 * testapi_remove_tag plans its delete and its leftover probe for each call's
 * tag (EXECUTE … USING), instead of 1764700000001's function-wide
 * plan_cache_mode = force_custom_plan. Why per call at all: PL/pgSQL caches a
 * generic plan once it looks no dearer than the custom ones so far, and after
 * a 287k-row tag went through the function that comparison chose one
 * estimated for an "average" (huge) tag: 21-row deletes took 89 ms p50
 * instead of 5.8 ms (Debian's PostgreSQL 15, npm run bench). Why not the
 * setting: it also holds for the foreign-key checks PostgreSQL runs inside
 * the function, so every deleted parent row's check was planned again, and
 * the 287k-row delete took 5.3 s instead of 2.0 s.
 */
const DYNAMIC_SQL = `CREATE OR REPLACE FUNCTION testapi_remove_tag(p_tag text) RETURNS TABLE (table_name text, n int)
LANGUAGE plpgsql AS $fn$
DECLARE
  remaining jsonb;
  any_left boolean;
BEGIN
  INSERT INTO test_tags (tag, expires_at) VALUES (p_tag, now())
    ON CONFLICT (tag) DO UPDATE SET expires_at = test_tags.expires_at;
  RETURN QUERY EXECUTE
    $q$WITH ${deletes}, gone_keys AS (DELETE FROM testapi_idempotency_keys WHERE tag = $1), gone_tag AS (DELETE FROM test_tags WHERE tag = $1) ${counts}$q$
    USING p_tag;
  EXECUTE $q$SELECT ${anyLeft}$q$ INTO any_left USING p_tag;
  IF any_left THEN
    EXECUTE $q$SELECT jsonb_object_agg(t, rows_left) FROM (${leftCounts}) left_rows WHERE rows_left > 0$q$ INTO remaining USING p_tag;
    RAISE EXCEPTION 'rows of tag % remain after deleting them', p_tag USING ERRCODE = 'TA001', DETAIL = remaining::text;
  END IF;
END
$fn$`;

export class RemoveTagDynamicPlans1764700000002 implements MigrationInterface {
  name = 'RemoveTagDynamicPlans1764700000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER FUNCTION testapi_remove_tag(text) RESET plan_cache_mode`);
    await queryRunner.query(DYNAMIC_SQL);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(REMOVE_TAG_FUNCTION_SQL.replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION'));
    await queryRunner.query(`ALTER FUNCTION testapi_remove_tag(text) SET plan_cache_mode = force_custom_plan`);
  }
}

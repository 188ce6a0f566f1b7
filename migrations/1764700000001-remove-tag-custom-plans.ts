import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * testapi_remove_tag plans every call for its own tag. PL/pgSQL caches a
 * generic plan after five calls when it looks no dearer than the custom
 * ones so far; after a 287k-row tag went through it, that comparison chose a
 * generic plan (estimated for an "average" tag, of which there are few, each
 * huge), and deleting a 21-row tag then took 89 ms p50 instead of 5.8 ms
 * (Debian's PostgreSQL 15, 1M other rows; npm run bench). Planning each call
 * costs a fraction of a millisecond; a wrong cached plan costs the whole scan.
 */
export class RemoveTagCustomPlans1764700000001 implements MigrationInterface {
  name = 'RemoveTagCustomPlans1764700000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER FUNCTION testapi_remove_tag(text) SET plan_cache_mode = force_custom_plan`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER FUNCTION testapi_remove_tag(text) RESET plan_cache_mode`);
  }
}

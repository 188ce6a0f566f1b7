import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The generation of the last POST /schema/reload, one row: every process on
 * the database compares it with the generation its model was read at, so one
 * that missed the NOTIFY (its listening connection was down) still catches up
 * (src/schema/reload-follower.ts). Unqualified, like the rest of the own
 * state: it lands in TESTAPI_SCHEMA with target schemas, in the shop's schema
 * otherwise.
 */
export class ReloadGeneration1764800000000 implements MigrationInterface {
  name = 'ReloadGeneration1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "testapi_reload_generation" ("id" boolean NOT NULL DEFAULT true, "generation" bigint NOT NULL DEFAULT 0, "reloaded_at" TIMESTAMP WITH TIME ZONE, "reloaded_by" text, CONSTRAINT "pk_testapi_reload_generation" PRIMARY KEY ("id"), CONSTRAINT "chk_testapi_reload_generation_one_row" CHECK ("id"))`,
    );
    await queryRunner.query(`INSERT INTO "testapi_reload_generation" ("id") VALUES (true)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "testapi_reload_generation"`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * testapi's own state for a target schema (TESTAPI_TARGET_SCHEMAS): the tag
 * registry and the idempotency keys, exactly as the initial schema creates
 * them for the shop, but without the shop tables. The DataSource's
 * search_path is TESTAPI_SCHEMA in that mode, so these unqualified names land
 * there and never in the application's schemas.
 */
export class OwnState1764500000000 implements MigrationInterface {
  name = 'OwnState1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "test_tags" ("tag" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "labels" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "pk_test_tags" PRIMARY KEY ("tag"))`);
    await queryRunner.query(`CREATE INDEX "idx_test_tags_created_at" ON "test_tags" ("created_at")`);
    await queryRunner.query(`CREATE INDEX "idx_test_tags_expires_at" ON "test_tags" ("expires_at")`);
    await queryRunner.query(`CREATE TABLE "testapi_idempotency_keys" ("key" text NOT NULL, "tag" text NOT NULL, "scenario" text NOT NULL, "request_hash" text NOT NULL, "status_code" integer, "response" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_testapi_idempotency_keys" PRIMARY KEY ("key"))`);
    await queryRunner.query(`CREATE INDEX "idx_testapi_idempotency_keys_tag" ON "testapi_idempotency_keys" ("tag")`);
    await queryRunner.query(`CREATE INDEX "idx_testapi_idempotency_keys_expires_at" ON "testapi_idempotency_keys" ("expires_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "testapi_idempotency_keys"`);
    await queryRunner.query(`DROP TABLE "test_tags"`);
  }
}

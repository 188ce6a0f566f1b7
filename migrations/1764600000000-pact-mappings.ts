import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Pact provider-state mappings (src/pact): one row per mapping, the definition as jsonb. */
export class PactMappings1764600000000 implements MigrationInterface {
  name = 'PactMappings1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "testapi_pact_mappings" ("name" text NOT NULL, "definition" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_testapi_pact_mappings" PRIMARY KEY ("name"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "testapi_pact_mappings"`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Why the sweeper last kept an expired tag (issue 24): when, and every
 * reference that kept it, so GET /tags/{tag} can say so from any replica.
 * Shown only while kept_at is after expires_at: a request that extends the
 * tag moves expires_at past it, and the old reason stops showing without
 * the provisioning upsert having to clear it. Unqualified, like the rest of
 * the own state.
 */
export class TagKeptReason1764960000001 implements MigrationInterface {
  name = 'TagKeptReason1764960000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "test_tags" ADD "kept_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "test_tags" ADD "kept_because" jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "test_tags" DROP COLUMN "kept_because"`);
    await queryRunner.query(`ALTER TABLE "test_tags" DROP COLUMN "kept_at"`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the row ledger needs to tell the row a tag created from another row
 * that took its key later (src/tags/row-identity.ts):
 * - `created_xid`: the transaction that wrote the ledger entry, in the same
 *   statement as the row itself, so at cleanup the row's `xmin` equals it
 *   unless the row was written again since; xid8 never wraps, so of two
 *   entries for one key the later one is known. Entries written before this
 *   migration keep NULL (their rows are trusted as before).
 * - `fingerprint`: a hash per non-key column value at creation, to tell a row
 *   the application updated (most values still as created) from one it
 *   replaced.
 * - an index by (table, key), to find every tag's entry for one row.
 * - `testapi_key_high_water`: the largest integer key testapi handed out per
 *   column, so a key the application freed is never handed to a second tag.
 */
export class LedgerRowIdentity1764950000000 implements MigrationInterface {
  name = 'LedgerRowIdentity1764950000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "testapi_row_ledger" ADD COLUMN "created_xid" xid8, ADD COLUMN "fingerprint" integer[]`);
    await queryRunner.query(`ALTER TABLE "testapi_row_ledger" ALTER COLUMN "created_xid" SET DEFAULT pg_current_xact_id()`);
    await queryRunner.query(`CREATE INDEX "ix_testapi_row_ledger_row" ON "testapi_row_ledger" ("table_name", "pk")`);
    await queryRunner.query(
      `CREATE TABLE "testapi_key_high_water" ("table_name" text NOT NULL, "column_name" text NOT NULL, "top" numeric NOT NULL, CONSTRAINT "pk_testapi_key_high_water" PRIMARY KEY ("table_name", "column_name"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "testapi_key_high_water"`);
    await queryRunner.query(`DROP INDEX "ix_testapi_row_ledger_row"`);
    await queryRunner.query(`ALTER TABLE "testapi_row_ledger" DROP COLUMN "fingerprint", DROP COLUMN "created_xid"`);
  }
}

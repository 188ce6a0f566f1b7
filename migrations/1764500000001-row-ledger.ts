import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The row ledger: which rows a tag created in tables that have no test_tag
 * column (an application's own tables). Written in the transaction that
 * writes the rows, read and emptied by the cleanup that deletes them.
 * `pk` is the row's primary key as a JSON array of text, in key column order,
 * so one table serves any key shape (serial, uuid, text, composite).
 * The primary key leads with the tag: a cleanup reads a tag's rows from it.
 */
export class RowLedger1764500000001 implements MigrationInterface {
  name = 'RowLedger1764500000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "testapi_row_ledger" ("tag" text NOT NULL, "table_name" text NOT NULL, "pk" jsonb NOT NULL, CONSTRAINT "pk_testapi_row_ledger" PRIMARY KEY ("tag", "table_name", "pk"))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "testapi_row_ledger"`);
  }
}

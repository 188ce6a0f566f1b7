import type { MigrationInterface, QueryRunner } from 'typeorm';

const SHOP_TABLES = ['organizations', 'users', 'memberships', 'addresses', 'products', 'orders', 'order_items', 'payments', 'shipments'];

/**
 * The shop tables keep their pages when a VACUUM finds them empty at the end
 * (vacuum_truncate = false), replacing the session-wide enable_seqscan = off
 * (issue 24). Why: after a large cleanup, (auto)vacuum used to cut an emptied
 * table down to 0 pages, and PostgreSQL then plans any lookup on it as a
 * sequential scan of nothing; the foreign-key checks of every inserted row
 * are plans each backend caches, so the next requests kept scanning the
 * very tables they were filling (docs/PERFORMANCE.md, issue 11 and "Small
 * requests after a cleanup"). With its pages kept, the planner prices a scan
 * by the table's real size and picks the foreign key's index, whatever the
 * session's settings. The space stays with the table and later inserts reuse
 * it (VACUUM still records it as free).
 */
export class KeepEmptiedPages1764960000000 implements MigrationInterface {
  name = 'KeepEmptiedPages1764960000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of SHOP_TABLES) await queryRunner.query(`ALTER TABLE "${table}" SET (vacuum_truncate = false)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of SHOP_TABLES) await queryRunner.query(`ALTER TABLE "${table}" RESET (vacuum_truncate)`);
  }
}

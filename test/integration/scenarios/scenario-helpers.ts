import type { TableCounts } from '../../../src/db/tables';
import { countRowsByTag, testPool } from '../../support/database';

/** Zero rows under the tag, no tag registered, no idempotency key stored: the request left no trace. */
export async function expectNothingWritten(tag: string, idempotencyKey?: string): Promise<void> {
  const counts = await countRowsByTag(tag);
  expect(Object.values(counts).every((n) => n === 0)).toBe(true);
  const tags = await testPool().query('SELECT 1 FROM test_tags WHERE tag = $1', [tag]);
  expect(tags.rowCount).toBe(0);
  if (idempotencyKey) {
    const keys = await testPool().query('SELECT 1 FROM testapi_idempotency_keys WHERE key = $1', [idempotencyKey]);
    expect(keys.rowCount).toBe(0);
  }
}

/** The response's counts equal the rows really under the tag, table by table (zeros included). */
export async function expectCountsInDatabase(tag: string, counts: TableCounts): Promise<void> {
  expect(await countRowsByTag(tag)).toEqual(counts);
}

export async function tagExpiry(tag: string): Promise<Date | undefined> {
  const result = await testPool().query<{ expires_at: Date }>('SELECT expires_at FROM test_tags WHERE tag = $1', [tag]);
  return result.rows[0]?.expires_at;
}

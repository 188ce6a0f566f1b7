import type { PoolClient } from 'pg';

export interface TagLease {
  /** The tag's expiry after this request: extended if needed, never shortened. */
  expiresAt: Date;
  /** The transaction's now(): created_at of every row of the graph. */
  now: Date;
}

/**
 * Registers (or extends) the tag inside the provisioning transaction; $1 is
 * the tag, $2 the ttl in seconds. The row lock this takes is what serialises
 * provisioning against a cleanup of the same tag: cleanup locks the row FOR
 * UPDATE before deleting, so it waits for this graph to commit (and then
 * deletes all of it), or this waits for the cleanup to finish (and then
 * re-registers the tag).
 */
export const TAG_UPSERT_VALUES = `INSERT INTO test_tags (tag, created_at, expires_at) VALUES ($1, now(), now() + make_interval(secs => $2))
     ON CONFLICT (tag) DO UPDATE SET expires_at = GREATEST(test_tags.expires_at, EXCLUDED.expires_at)`;

export async function upsertTag(client: PoolClient, tag: string, ttlSeconds: number): Promise<TagLease> {
  const result = await client.query<{ expires_at: Date; now: Date }>(`${TAG_UPSERT_VALUES} RETURNING expires_at, now() AS now`, [tag, ttlSeconds]);
  const row = result.rows[0]!;
  return { expiresAt: row.expires_at, now: row.now };
}

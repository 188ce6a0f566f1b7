import type { PoolClient } from 'pg';

export interface StoredReply {
  scenario: string;
  requestHash: string;
  statusCode: number | null;
  response: unknown;
}

/**
 * Records the key as the transaction's first statement. A concurrent request
 * with the same key blocks on this row until the first one commits (then
 * sees the stored reply) or rolls back (then records the key itself).
 * An expired key is taken over, as if it never existed.
 * Returns true when this request owns the key.
 */
export async function claimIdempotencyKey(
  client: PoolClient,
  key: string,
  claim: { tag: string; scenario: string; requestHash: string; ttlSeconds: number },
): Promise<boolean> {
  const result = await client.query(
    `INSERT INTO testapi_idempotency_keys (key, tag, scenario, request_hash, created_at, expires_at)
     VALUES ($1, $2, $3, $4, now(), now() + make_interval(secs => $5))
     ON CONFLICT (key) DO UPDATE
       SET tag = EXCLUDED.tag, scenario = EXCLUDED.scenario, request_hash = EXCLUDED.request_hash,
           status_code = NULL, response = NULL, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
       WHERE testapi_idempotency_keys.expires_at <= now()
     RETURNING key`,
    [key, claim.tag, claim.scenario, claim.requestHash, claim.ttlSeconds],
  );
  return result.rowCount === 1;
}

export async function findIdempotencyKey(client: PoolClient, key: string): Promise<StoredReply | undefined> {
  const result = await client.query<{ scenario: string; request_hash: string; status_code: number | null; response: unknown }>(
    'SELECT scenario, request_hash, status_code, response FROM testapi_idempotency_keys WHERE key = $1',
    [key],
  );
  const row = result.rows[0];
  return row && { scenario: row.scenario, requestHash: row.request_hash, statusCode: row.status_code, response: row.response };
}

/** Stores the reply in the same transaction as the graph, and lets the key live exactly as long as the tag. */
export async function storeIdempotentReply(client: PoolClient, key: string, reply: { statusCode: number; response: unknown; tag: string }): Promise<void> {
  await client.query(
    `UPDATE testapi_idempotency_keys
     SET status_code = $2, response = $3, expires_at = (SELECT expires_at FROM test_tags WHERE tag = $4)
     WHERE key = $1`,
    [key, reply.statusCode, JSON.stringify(reply.response), reply.tag],
  );
}

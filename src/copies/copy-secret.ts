import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';

/**
 * The key of copies' pseudonyms: TESTAPI_COPY_SECRET when set, else the one
 * row of testapi_copy_secret, written by whichever process copies first
 * (ON CONFLICT: two replicas racing keep the one that landed). Held in
 * memory per pool afterwards: it never changes while the row exists.
 */
const SECRET_BYTES = 32;
const held = new WeakMap<Pool, Promise<Buffer>>();

async function stored(pool: Pool): Promise<Buffer> {
  await pool.query('INSERT INTO testapi_copy_secret (id, secret) VALUES (true, $1) ON CONFLICT (id) DO NOTHING', [randomBytes(SECRET_BYTES)]);
  const result = await pool.query<{ secret: Buffer }>('SELECT secret FROM testapi_copy_secret WHERE id');
  const row = result.rows[0];
  if (!row) throw new Error('testapi_copy_secret holds no row after an insert: run the migrations (npm run migrate) before serving');
  return row.secret;
}

export function copySecret(pool: Pool, configured: string | undefined): Promise<Buffer> {
  if (configured !== undefined) return Promise.resolve(Buffer.from(configured, 'utf8'));
  let secret = held.get(pool);
  if (!secret) {
    secret = stored(pool);
    // A failed read (database down) is retried by the next copy, not remembered.
    secret.catch(() => held.delete(pool));
    held.set(pool, secret);
  }
  return secret;
}

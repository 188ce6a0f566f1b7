import { inReadOnlySnapshot, inTransaction } from '../../../src/db/transaction';
import { abandonRequest, RequestAbandonedError, runWithRequestContext } from '../../../src/db/request-context';
import { assertionPool, countRowsByTag, totalOf, uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { useListeningServer } from '../../support/listening-server';
import { useOwnCluster } from '../../support/own-cluster';

// Waits for this app's backends to go idle: a cluster of its own, so no other file's work counts.
const own = useOwnCluster();
// ~115,000 rows: several seconds of work, far more than the 1 s the tests allow it.
const BIG = { users: 4_000, ordersPerUser: 5, itemsPerOrder: 3, products: 50 };
const listening = useListeningServer(() => own);

/** Resolves once no backend of the service is busy (or in a transaction); the ms it took. */
async function serviceBackendsIdle(timeoutMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const result = await own.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'testapi' AND state IS DISTINCT FROM 'idle' AND pid <> pg_backend_pid()`,
    );
    if (result.rows[0]!.n === 0) return Date.now() - started;
    if (Date.now() - started > timeoutMs) return -1;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function registered(tag: string): Promise<boolean> {
  return ((await own.pool.query('SELECT 1 FROM test_tags WHERE tag = $1', [tag])).rowCount ?? 0) > 0;
}

describe('Abandoned work stops', () => {
  test('When the client disconnects during a large provisioning, then its statement is cancelled, the transaction rolls back within a second, and nothing is written', async () => {
    const tag = uniqueTag('abandoned');
    const controller = new AbortController();
    const request = fetch(`${listening.base}/scenarios/bulk-orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tag, params: BIG }),
      signal: controller.signal,
    }).catch((error: Error) => error.name);
    // Abort once the transaction is really writing: the tag row is locked from its first statement.
    for (let waited = 0; waited < 10_000; waited += 50) {
      const busy = await own.pool.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'testapi' AND state = 'active' AND query ILIKE 'COPY%'`);
      if (busy.rowCount) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    controller.abort();
    expect(await request).toBe('AbortError');
    // Before the fix the work ran to its COMMIT several seconds later.
    const idleAfter = await serviceBackendsIdle(30_000);

    expect(idleAfter).toBeGreaterThanOrEqual(0);
    expect(idleAfter).toBeLessThan(1_500);
    expect(totalOf(await countRowsByTag(tag, own.pool))).toBe(0);
    expect(await registered(tag)).toBe(false);
  }, 60_000);

  test('When a request runs past REQUEST_TIMEOUT_MS, then it answers a 503 request-timeout shortly after, rolled back, nothing written', async () => {
    const app = await own.buildApp({ REQUEST_TIMEOUT_MS: '1000' });
    const tag = uniqueTag('too-slow');

    const started = Date.now();
    const res = await http(app.app).post('/scenarios/bulk-orders').send({ tag, params: BIG });
    const ms = Date.now() - started;

    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ type: 'urn:testapi:problem:request-timeout', status: 503 });
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(ms).toBeLessThan(1_000 + 1_500);
    expect(await serviceBackendsIdle(5_000)).toBeGreaterThanOrEqual(0);
    expect(totalOf(await countRowsByTag(tag, own.pool))).toBe(0);
    expect(await registered(tag)).toBe(false);
  }, 30_000);

  test('When a transaction runs for a request, then PostgreSQL 17 bounds it too (transaction_timeout = the time the request has left)', async () => {
    const controller = new AbortController();

    const seen = await runWithRequestContext({ signal: controller.signal, deadline: Date.now() + 60_000 }, () =>
      inTransaction(own.db.pool, async (client) => (await client.query<{ t: string }>(`SELECT current_setting('transaction_timeout') AS t`)).rows[0]!.t),
    );
    const outside = await inTransaction(own.db.pool, async (client) => (await client.query<{ t: string }>(`SELECT current_setting('transaction_timeout') AS t`)).rows[0]!.t);

    // 60 s left plus the 1 s margin, in PostgreSQL's units.
    expect(seen).toMatch(/^(60|61)s$|^6[01]\d{3}ms$/);
    expect(outside).toBe('0');
  });

  test('When the request was abandoned before its transaction started, then no connection is taken and nothing runs', async () => {
    const controller = new AbortController();
    controller.abort(new RequestAbandonedError('client-gone'));
    let ran = false;

    const attempt = runWithRequestContext({ signal: controller.signal, deadline: Date.now() + 60_000 }, () =>
      inTransaction(own.db.pool, async () => {
        ran = true;
      }),
    );

    await expect(attempt).rejects.toBeInstanceOf(RequestAbandonedError);
    expect(ran).toBe(false);
  });
  test('When a request is abandoned while its transaction waits between statements, then the cancel sent for it cannot reach the next request on the same connection', async () => {
    // One connection, so the next request surely gets the one the abandoned request held (round 9 of issue 22: a
    // stalled export cut off at REQUEST_TIMEOUT_MS, and the following export's statement "cancelled" on its connection).
    const single = assertionPool(own.url, 1);
    try {
      const controller = new AbortController();
      const context = { signal: controller.signal, deadline: Date.now() + 60_000 };
      let heldBy = 0;
      const abandoned = runWithRequestContext(context, () =>
        inReadOnlySnapshot(single, async (client) => {
          heldBy = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
          // Waiting on something other than PostgreSQL (a reader who stopped reading): no statement runs when it is abandoned.
          await new Promise<void>((resolve) => {
            controller.signal.addEventListener('abort', () => resolve(), { once: true });
            abandonRequest(context, controller, new RequestAbandonedError('timeout'));
          });
        }),
      );
      await expect(abandoned).rejects.toBeInstanceOf(RequestAbandonedError);

      // The next piece of work gets the same backend, and its statement runs to its end.
      const next = await single.query<{ pid: number }>('SELECT pg_backend_pid() AS pid, pg_sleep(0.5)');
      expect(next.rows[0]!.pid).toBe(heldBy);
    } finally {
      await single.end();
    }
  });
});

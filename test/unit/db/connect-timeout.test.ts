import { Client } from 'pg';
import { isDatabaseUnavailable } from '../../../src/db/errors';
import { useSilentListener } from '../../support/silent-listener';

/**
 * A connection that does not start within DB_CONNECT_TIMEOUT_MS fails in
 * pg as "timeout expired": the database is too slow to take a connection
 * now, a 503 the caller may retry, not a 500 (round 18 of the doubled-load
 * runs met it as a 500). A listener that accepts and never answers stands
 * for a database that cannot start the session in time.
 */
describe('A connection that does not start in time', () => {
  const silent = useSilentListener();

  test("When pg's connectionTimeoutMillis runs out, then the error counts as the database being unavailable", async () => {
    const port = silent.port();
    const client = new Client({ host: '127.0.0.1', port, user: 'x', database: 'x', connectionTimeoutMillis: 50 });

    const error = await client.connect().then(
      () => undefined,
      (failure: unknown) => failure,
    );

    expect((error as Error).message).toBe('timeout expired');
    expect(isDatabaseUnavailable(error)).toBe(true);
  });
});

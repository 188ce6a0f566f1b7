import { startServerProcess } from '../support/server-process';
import { useSilentListener } from '../support/silent-listener';

// The harness waits for a slow start as long as the service makes progress, and still fails fast on a stuck one.
describe('startServerProcess on a service that is stuck', () => {
  // Accepts connections and never answers: the service waits for PostgreSQL's greeting, using no CPU.
  const silent = useSilentListener();

  test('When the database never answers, then the start fails once the service has made no progress for the stall bound', async () => {
    const port = silent.port();
    const started = Date.now();
    const failure = await startServerProcess({ DATABASE_URL: `postgres://u:p@127.0.0.1:${port}/db`, DB_CONNECT_TIMEOUT_MS: '600000' }, 3_000).then(
      () => undefined,
      (error: Error) => error,
    );

    expect(failure?.message).toMatch(/made no progress \(no output, no CPU time\) for 3000 ms before listening/);
    expect(failure?.message).toContain('"using database"');
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_000);
  });
});

import { startServerProcess } from '../../support/server-process';

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set by the global setup');
  return url;
}

function listeningHost(lines: string[]): string | undefined {
  const line = lines.find((entry) => entry.includes('testapi listening'));
  return line ? (JSON.parse(line) as { host?: string }).host : undefined;
}

const WARNING = 'no TESTAPI_API_KEY is set and the service listens beyond loopback';

describe('Where the built service listens', () => {
  test('When no API key is set, then it binds to loopback only and warns about nothing', async () => {
    const server = await startServerProcess({ DATABASE_URL: databaseUrl() });
    // The signal too: once (round 11 of issue 22) the exit code was null, ended by a signal rather than by its drain.
    expect(await server.stop()).toMatchObject({ code: 0, exitSignal: null });
    const logs = server.logs();

    expect(listeningHost(logs)).toBe('127.0.0.1');
    expect(logs.join('\n')).not.toContain(WARNING);
  });

  test('When HOST opens it to the network without a key, then it logs a warning saying anyone can create and delete data', async () => {
    const server = await startServerProcess({ DATABASE_URL: databaseUrl(), HOST: '0.0.0.0' });
    expect(await server.stop()).toMatchObject({ code: 0, exitSignal: null });
    const logs = server.logs();

    expect(listeningHost(logs)).toBe('0.0.0.0');
    expect(logs.find((line) => line.includes(WARNING))).toMatch(/"level":40/);
  });

  test('When a key is set, then it binds to every interface (Docker) without the warning', async () => {
    const server = await startServerProcess({ DATABASE_URL: databaseUrl(), TESTAPI_API_KEY: 'exposure-key-0123456789' });
    const anonymous = await fetch(`${server.url}/metrics`);
    expect(await server.stop()).toMatchObject({ code: 0, exitSignal: null });
    const logs = server.logs();

    expect(listeningHost(logs)).toBe('0.0.0.0');
    expect(logs.join('\n')).not.toContain(WARNING);
    expect(anonymous.status).toBe(401);
  });
});

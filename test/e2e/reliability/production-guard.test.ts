import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServerProcess } from '../../support/server-process';

let root: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'testapi-guard-'));
});
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

/** The refusal as startServerProcess reports it: exit code and every line the process printed. */
async function refusal(env: Record<string, string>): Promise<{ code: number; lines: string[] }> {
  const error = await startServerProcess(env, 10_000).then(
    async (server) => {
      await server.stop();
      throw new Error('the service started although it should have refused');
    },
    (reason: Error) => reason,
  );
  const match = /^service exited \((\d+)\) before listening:\n([\s\S]*)$/.exec(error.message);
  if (!match) throw error;
  return { code: Number(match[1]), lines: (match[2] ?? '').split('\n').filter(Boolean) };
}

describe('The built service in a production environment', () => {
  test.each([
    ['NODE_ENV=production', 'NODE_ENV', { NODE_ENV: 'production' }],
    ['TESTAPI_ENV=production', 'TESTAPI_ENV', { TESTAPI_ENV: 'production' }],
    ['NODE_ENV=Production with an API key', 'NODE_ENV', { NODE_ENV: 'Production', TESTAPI_API_KEY: 'a-valid-key-0123456789' }],
  ])('When %s, then it exits non-zero with one line naming the variable, before touching any database', async (_case, variable, env) => {
    const dataDir = path.join(root, `never-${variable}-${Date.now()}`);

    const { code, lines } = await refusal({ ...env, EMBEDDED_PG_DATA_DIR: dataDir });

    expect(code).not.toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^testapi: Invalid ${variable}: testapi refuses to run in production .*TESTAPI_ALLOW_PRODUCTION=true`));
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  test('When TESTAPI_ALLOW_PRODUCTION=true overrides it, then the service starts', async () => {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set by the global setup');

    const server = await startServerProcess({ NODE_ENV: 'production', TESTAPI_ALLOW_PRODUCTION: 'true', DATABASE_URL: url });
    try {
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
    } finally {
      expect((await server.stop()).code).toBe(0);
    }
  });

  test('When TESTAPI_ALLOW_PRODUCTION holds anything but a boolean, then it refuses and names that variable', async () => {
    const { code, lines } = await refusal({ TESTAPI_ENV: 'production', TESTAPI_ALLOW_PRODUCTION: 'yes please', EMBEDDED_PG_DATA_DIR: path.join(root, 'never') });

    expect(code).not.toBe(0);
    expect(lines).toEqual([expect.stringMatching(/^testapi: Invalid TESTAPI_ALLOW_PRODUCTION: expected true or false/)]);
  });
});

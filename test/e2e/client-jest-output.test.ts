import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { closeTestPool, testPool } from '../support/database';
import { startServerProcess, type ServerProcess } from '../support/server-process';

// What a consumer's Jest prints when the helper fails: one clear failure per
// cause. A consumer project (the built package linked into node_modules) runs
// its own Jest against the real service and against a closed port.
const ROOT = path.join(__dirname, '..', '..');
const JEST = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
const CLIENT = path.dirname(require.resolve('@testapi/client/package.json'));

let server: ServerProcess;
let consumer: string;
let closedUrl: string;

beforeAll(async () => {
  server = await startServerProcess({ DATABASE_URL: process.env.DATABASE_URL! });
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise((resolve) => probe.close(resolve));
  consumer = fs.mkdtempSync(path.join(os.tmpdir(), 'testapi-jest-output-'));
  fs.mkdirSync(path.join(consumer, 'node_modules', '@testapi'), { recursive: true });
  fs.symlinkSync(CLIENT, path.join(consumer, 'node_modules', '@testapi', 'client'));
  fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
}, 30_000);

afterAll(async () => {
  fs.rmSync(consumer, { recursive: true, force: true });
  await server?.stop();
  await closeTestPool();
});

function consumerJest(prefix: string, files: Record<string, string>): Promise<string> {
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(consumer, name), text);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [JEST, '--rootDir', consumer, '--runInBand', '--ci', '--config', JSON.stringify({ transform: {}, testMatch: [`**/${prefix}*.test.js`] })],
      { cwd: consumer, env: { PATH: process.env.PATH ?? '', TESTAPI_URL: server.url }, timeout: 50_000 },
      (_error, stdout, stderr) => resolve(`${stdout}${stderr}`),
    );
  });
}

const count = (text: string, part: string): number => text.split(part).length - 1;

describe('useTestApi failures as Jest prints them', () => {
  test('When the afterAll cleanup is slower than cleanupTimeoutMs, then the file fails with the tag and the time, not Jest\'s hook timeout', async () => {
    const output = await consumerJest('slow', {
      'slow.test.js': `
        const { useTestApi } = require('@testapi/client/jest');
        // The service answers DELETE late, as a large tag on a busy database would.
        const slowDeletes = (input, init) =>
          ((init && init.method) || input.method) === 'DELETE' ? new Promise((resolve) => setTimeout(resolve, 2500)).then(() => fetch(input, init)) : fetch(input, init);
        const testData = useTestApi({ prefix: 'slow', cleanupTimeoutMs: 400, fetch: slowDeletes });
        test('provisions', async () => { await testData.provision('user'); });
      `,
    });

    expect(output).toMatch(/useTestApi: cleanup of tag slow-\d+-[a-z0-9]{8} at http:\/\/127\.0\.0\.1:\d+ took longer than 400 ms/);
    expect(output).not.toContain('Exceeded timeout');
  }, 60_000);

  test('When the service is down, then each test fails once with the URL, and the afterAll cleanup says once that it could not reach it', async () => {
    const output = await consumerJest('down', {
      'down.test.js': `
        const { useTestApi } = require('@testapi/client/jest');
        const testData = useTestApi({ prefix: 'down', baseUrl: '${closedUrl}' });
        test('first', async () => { await testData.provision('user'); });
        test('second', async () => { await testData.provision('catalog'); });
      `,
    });

    expect(output).toContain('Tests:       2 failed, 2 total');
    expect(count(output, `TestApiConnectionError: Cannot reach testapi at ${closedUrl}: ECONNREFUSED`)).toBe(2);
    expect(count(output, `useTestApi: could not reach testapi at ${closedUrl} to delete tag down-`)).toBe(1);
    expect(output).not.toContain('Cause:');
    expect(output).not.toContain('fetch failed');
  }, 60_000);

  test('When the service goes away after the tests passed, then the cleanup fails the file, since nothing else said so', async () => {
    const output = await consumerJest('gone', {
      'gone.test.js': `
        const { useTestApi } = require('@testapi/client/jest');
        const testData = useTestApi({ prefix: 'gone', baseUrl: '${closedUrl}' });
        test('only reads the tag', () => { expect(testData.api).toBeDefined(); });
      `,
    });

    expect(output).toContain('Test Suites: 1 failed, 1 total');
    expect(count(output, `TestApiConnectionError: Cannot reach testapi at ${closedUrl}: ECONNREFUSED`)).toBe(1);
    expect(output).not.toContain('useTestApi: could not reach');
  }, 60_000);

  test('When the service answers 400, then the failure lists each field error once, not again as an AggregateError; nothing is written', async () => {
    const prefix = `jest-output-${process.pid}`;
    const output = await consumerJest('invalid', {
      'invalid.test.js': `
        const { useTestApi } = require('@testapi/client/jest');
        const testData = useTestApi({ prefix: '${prefix}' });
        test('too many orders', async () => { await testData.provision('user-with-orders', { params: { orders: 1000, status: 'lost' } }); });
      `,
    });

    expect(output).toContain('Tests:       1 failed, 1 total');
    expect(output).toMatch(/TestApiError: Invalid request: .+ \(HTTP 400\)/);
    expect(count(output, '- params.orders: ')).toBe(1);
    expect(count(output, '- params.status: ')).toBe(1);
    expect(output).not.toContain('Errors contained in AggregateError');
    const registered = await testPool().query(`SELECT count(*)::int AS n FROM test_tags WHERE tag LIKE $1`, [`${prefix}-%`]);
    const users = await testPool().query(`SELECT count(*)::int AS n FROM users WHERE test_tag LIKE $1`, [`${prefix}-%`]);
    expect([registered.rows[0].n, users.rows[0].n]).toEqual([0, 0]);
  }, 60_000);
});

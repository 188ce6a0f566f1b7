import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestApi, type TestApi } from '@testapi/client';
import { runCli, type CliRun } from '../support/cli';
import { closeTestPool, countRowsByTag, uniqueTag } from '../support/database';
import { startServerProcess, type ServerProcess } from '../support/server-process';

let server: ServerProcess;
let api: TestApi;
let folder: string;

function testapi(args: string[]): Promise<CliRun> {
  return runCli(args, { TESTAPI_URL: server.url });
}

beforeAll(async () => {
  // The run's own database doubles as a copy source: the shop tables with people in them.
  server = await startServerProcess({ DATABASE_URL: process.env.DATABASE_URL!, TESTAPI_SOURCES: `self=${process.env.DATABASE_URL!}` });
  api = createTestApi({ baseUrl: server.url });
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'testapi-snapshots-'));
}, 30_000);

afterAll(async () => {
  await server?.stop();
  await closeTestPool();
  fs.rmSync(folder, { recursive: true, force: true });
});

describe('testapi export and testapi import', () => {
  test('When a tag is exported to a file and imported under another tag, then both exit 0 and the new tag holds as many rows', async () => {
    const original = uniqueTag('cli-exp');
    const copy = uniqueTag('cli-imp');
    await api.provision('user-with-orders', { tag: original, params: { orders: 2 } });
    const file = path.join(folder, 'snapshot.json');

    const exported = await testapi(['export', original]);
    fs.writeFileSync(file, exported.stdout);
    const imported = await testapi(['import', copy, file]);

    expect(exported).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(exported.stdout)).toMatchObject({ format: 'testapi.snapshot', formatVersion: 1, tag: original });
    expect(imported).toMatchObject({ code: 0, stderr: '' });
    expect(imported.stdout).toMatch(new RegExp(`^imported \\d+ rows under ${copy} \\(from ${original}\\)`));
    expect(await countRowsByTag(copy)).toEqual(await countRowsByTag(original));
    await api.cleanup(original);
    await api.cleanup(copy);
  });

  test('When the file names a formatVersion this service cannot read, then import exits 1 with the problem in one line', async () => {
    const file = path.join(folder, 'future.json');
    fs.writeFileSync(file, JSON.stringify({ format: 'testapi.snapshot', formatVersion: 999, tables: [] }));

    const run = await testapi(['import', uniqueTag('cli-999'), file]);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/formatVersion/);
  });

  test('When the client copies users with their orders from a source, then the copy holds the same counts and none of the original emails or names', async () => {
    const original = uniqueTag('cli-src');
    const copy = uniqueTag('cli-copy');
    const made = await api.provision('user-with-orders', { tag: original, params: { orders: 2 } });

    const result = await api.copyFromSource(copy, { source: 'self', root: { table: 'users', ids: [made.data.user.id] }, children: 1, seed: 3 });

    const counts = await countRowsByTag(copy);
    expect(result.counts).toMatchObject({ users: 1, orders: 2 });
    expect(counts).toMatchObject({ users: 1, orders: 2 });
    const copied = await api.exportTag(copy);
    expect(JSON.stringify(copied)).not.toContain(made.data.user.email);
    const user = copied.tables.find((table) => table.table.endsWith('.users'))!.data![0]!;
    expect([user.email, user.first_name, user.last_name]).not.toEqual(expect.arrayContaining([made.data.user.email]));
    expect(user.first_name).not.toBe(made.data.user.firstName);
    expect(user.last_name).not.toBe(made.data.user.lastName);
    await api.cleanup(original);
    await api.cleanup(copy);
  });
});

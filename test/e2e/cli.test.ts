import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestApi, type TestApi } from '@testapi/client';
import { SCENARIOS } from '../../src/scenarios/registry';
import { runCli, type CliRun } from '../support/cli';
import { assertMatchesContract } from '../support/contract';
import { closeTestPool, countRowsByTag, testPool, uniqueTag } from '../support/database';
import { startServerProcess, type ServerProcess } from '../support/server-process';

let server: ServerProcess;
// Arrange and tidy up through the client; only the step under test runs the CLI.
let api: TestApi;

function testapi(args: string[], env: Record<string, string> = { TESTAPI_URL: server.url }): Promise<CliRun> {
  return runCli(args, env);
}

beforeAll(async () => {
  server = await startServerProcess({ DATABASE_URL: process.env.DATABASE_URL! });
  api = createTestApi({ baseUrl: server.url });
}, 30_000);

afterAll(async () => {
  await server?.stop();
  await closeTestPool();
});

describe('testapi provision', () => {
  test('When run with --tag, --seed and --param, then it prints a summary, exits 0 and the rows exist with numeric params applied', async () => {
    const tag = uniqueTag('cli-provision');

    const run = await testapi(['provision', 'user-with-orders', '--tag', tag, '--seed', '42', '--param', 'orders=2', '--param', 'status=shipped']);

    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(new RegExp(`^Provisioned user-with-orders \\(v\\d+, seed 42\\) under tag ${tag}, expires \\S+\\n`));
    expect(run.stdout).toContain('orders 2');
    const counts = await countRowsByTag(tag);
    expect(counts).toMatchObject({ users: 1, orders: 2 });
    const statuses = await testPool().query(`SELECT DISTINCT status FROM orders WHERE test_tag = $1`, [tag]);
    expect(statuses.rows).toEqual([{ status: 'shipped' }]);
    await api.cleanup(tag);
  });

  test('When run with --json and --override, then stdout is the API answer as the contract describes it, and the override is in PostgreSQL', async () => {
    const tag = uniqueTag('cli-json');
    const email = `${tag}@example.com`;

    const run = await testapi(['provision', 'user', '--tag', tag, '--seed', '7', '--param', 'addresses=1', '--override', `user.email=${email}`, '--json']);

    expect(run).toMatchObject({ code: 0, stderr: '' });
    const result = JSON.parse(run.stdout);
    assertMatchesContract({ method: 'POST', url: '/scenarios/user', status: 201, contentType: 'application/json', body: result });
    expect(result).toMatchObject({ tag, scenario: 'user', seed: 7, counts: { users: 1, addresses: 1 }, data: { user: { email } } });
    const user = await testPool().query(`SELECT id, email FROM users WHERE test_tag = $1`, [tag]);
    expect(user.rows).toEqual([{ id: result.data.user.id, email }]);
    await api.cleanup(tag);
  });

  test('When the scenario does not exist, then it exits 1 with the problem on stderr and nothing on stdout', async () => {
    const run = await testapi(['provision', 'no-such-scenario', '--tag', uniqueTag('cli-404')]);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^testapi: .+\(HTTP 404\)\n$/);
  });

  test('When a param is out of range, then it exits 1 and lists the field error; nothing is written', async () => {
    const tag = uniqueTag('cli-400');

    const run = await testapi(['provision', 'user-with-orders', '--tag', tag, '--param', 'orders=1000']);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^testapi: .+\(HTTP 400\)\n {2}- params\.orders: .+\n/);
    expect(Object.values(await countRowsByTag(tag)).every((n) => n === 0)).toBe(true);
  });

  test('When a param is not key=value or the seed is not a number, then it exits 2 without calling the service', async () => {
    const badParam = await testapi(['provision', 'user', '--param', 'orders']);
    const badSeed = await testapi(['provision', 'user', '--seed', 'forty-two']);

    expect(badParam.code).toBe(2);
    expect(badParam.stderr).toContain(`option '--param <key=value>' argument 'orders' is invalid. expected key=value`);
    expect(badSeed.code).toBe(2);
    expect(badSeed.stderr).toContain('expected a whole number');
  });
});

describe('testapi tags and scenarios', () => {
  test('When tags are listed by prefix, then the human table and --json show the tag with its row total', async () => {
    const prefix = uniqueTag('cli-tags');
    const tag = `${prefix}-one`;
    await api.provision('catalog', { tag, params: { products: 3 } });

    const human = await testapi(['tags', '--prefix', prefix]);
    const json = await testapi(['tags', '--prefix', prefix, '--json']);

    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`^TAG +ROWS +CREATED +EXPIRES\\n${tag} +3 `));
    const page = JSON.parse(json.stdout);
    assertMatchesContract({ method: 'GET', url: '/tags', status: 200, contentType: 'application/json', body: page });
    expect(page.tags.map((summary: { tag: string }) => summary.tag)).toEqual([tag]);
    await api.cleanup(tag);
  });

  test('When scenarios are listed, then every scenario appears with its params', async () => {
    const run = await testapi(['scenarios']);

    expect(run.code).toBe(0);
    for (const { name } of SCENARIOS) expect(run.stdout).toMatch(new RegExp(`^${name} \\(v\\d+\\): `, 'm'));
    expect(run.stdout).toMatch(/orders \(1\.\.100, default 3\)/);
  });
});

describe('testapi cleanup', () => {
  test('When run with --tag, then it reports the deleted rows and they are gone', async () => {
    const tag = uniqueTag('cli-cleanup');
    await api.provision('user', { tag, params: { addresses: 2 } });

    const run = await testapi(['cleanup', '--tag', tag]);

    expect(run).toMatchObject({ code: 0, stdout: `Deleted 3 rows of tag ${tag} (users 1, addresses 2)\n` });
    expect(Object.values(await countRowsByTag(tag)).every((n) => n === 0)).toBe(true);
  });

  test('When run with --prefix and --older-than, then durations are read in their unit: a 90-minute-old tag survives 2h and goes with 1h', async () => {
    const prefix = uniqueTag('cli-older');
    const tag = `${prefix}-old`;
    await api.provision('catalog', { tag, params: { products: 1 } });
    await testPool().query(`UPDATE test_tags SET created_at = now() - interval '90 minutes' WHERE tag = $1`, [tag]);

    const kept = await testapi(['cleanup', '--prefix', prefix, '--older-than', '2h']);
    const removed = await testapi(['cleanup', '--prefix', prefix, '--older-than', '60m', '--json']);

    expect(kept).toMatchObject({ code: 0, stdout: 'No tag matched: nothing deleted\n' });
    expect(removed.code).toBe(0);
    expect(JSON.parse(removed.stdout)).toMatchObject({ tags: [tag], total: 1, deleted: { products: 1 } });
    expect((await countRowsByTag(tag)).products).toBe(0);
  });

  test('When run with --expired and --prefix, then only the expired tag under the prefix goes', async () => {
    const prefix = uniqueTag('cli-expired');
    const [expired, live] = [`${prefix}-gone`, `${prefix}-kept`];
    await api.provision('catalog', { tag: expired, params: { products: 1 } });
    await api.provision('catalog', { tag: live, params: { products: 1 } });
    await testPool().query(`UPDATE test_tags SET expires_at = now() - interval '1 minute' WHERE tag = $1`, [expired]);

    const run = await testapi(['cleanup', '--expired', '--prefix', prefix]);

    expect(run).toMatchObject({ code: 0, stdout: `Deleted 1 row across 1 tag (products 1)\n  ${expired}\n` });
    expect((await countRowsByTag(expired)).products).toBe(0);
    expect((await countRowsByTag(live)).products).toBe(1);
    await api.cleanup(live);
  });

  test.each([
    [['--all', '--prefix', 'x'], '--all stands alone: drop --prefix'],
    [['--tag', 'x', '--expired'], '--tag deletes one tag and cannot be combined with --expired'],
    [[], 'say what to delete'],
    [['--older-than', '2hours'], 'expected a duration like 30s, 15m, 2h or 7d'],
  ])('When run with %j, then it exits 2 with a usage message', async (args, message) => {
    const run = await testapi(['cleanup', ...args]);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});

describe('testapi graph', () => {
  const graphFile = (content: unknown): string => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'testapi-cli-graph-')), 'graph.json');
    fs.writeFileSync(file, JSON.stringify(content));
    return file;
  };

  test('When run with --file holding a graph, --tag and --seed, then it prints the counts, exits 0 and the rows exist under the tag', async () => {
    const tag = uniqueTag('cli-graph');

    const run = await testapi(['graph', '--file', graphFile({ users: [{ count: 2, orders: [{ count: 2 }] }] }), '--tag', tag, '--seed', '5']);

    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(new RegExp(`^Provisioned a graph \\(seed 5\\) under tag ${tag}, expires \\S+\\n`));
    expect(await countRowsByTag(tag)).toMatchObject({ users: 2, orders: 4 });
    await api.cleanup(tag);
  });

  test('When the file is a whole POST /graphs body and --json is given, then stdout is the answer as the contract describes it', async () => {
    const tag = uniqueTag('cli-graph-json');

    const run = await testapi(['graph', '--file', graphFile({ tag, seed: 9, graph: { users: [{ count: 1 }] } }), '--json']);

    expect(run).toMatchObject({ code: 0, stderr: '' });
    const result = JSON.parse(run.stdout);
    assertMatchesContract({ method: 'POST', url: '/graphs', status: 201, contentType: 'application/json', body: result });
    expect(result).toMatchObject({ tag, seed: 9, counts: { users: 1 } });
    const users = await testPool().query('SELECT id FROM users WHERE test_tag = $1', [tag]);
    expect(users.rows.map((row) => row.id)).toEqual(result.records.users.map((row: { id: unknown }) => row.id));
    await api.cleanup(tag);
  });

  test('When the service refuses the graph, then it exits 1 naming the field; a missing file exits 2', async () => {
    const refused = await testapi(['graph', '--file', graphFile({ nosuch: [{ count: 1 }] }), '--tag', uniqueTag('cli-graph-bad')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('graph.nosuch');

    const missing = await testapi(['graph', '--file', '/nonexistent/graph.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read /nonexistent/graph.json');
  });
});

describe('testapi --help', () => {
  test.each([[[]], [['provision']], [['graph']], [['cleanup']], [['tags']], [['scenarios']]])('When %j --help is run, then it prints usage and exits 0', async (command) => {
    const run = await testapi([...command, '--help']);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Usage: testapi ${command.join(' ')}`));
  });
});

describe('testapi without a service', () => {
  test('When the service is unreachable, then it exits 1 naming the URL', async () => {
    const run = await testapi(['tags'], { TESTAPI_URL: 'http://127.0.0.1:9' });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^testapi: Cannot reach testapi at http:\/\/127\.0\.0\.1:9: /);
  });
});

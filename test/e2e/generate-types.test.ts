import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFixtureDatabase, dropDatabase } from '../fixtures/schemas/fixtures';
import { databaseUrl } from '../support/database';
import { startServerProcess, type ServerProcess } from '../support/server-process';

// `testapi generate` against a service on the Chinook fixture with its scenario folder: test/types' type test
// of the Chinook contract compiles against the freshly written file too (so the committed copy cannot hide a
// regression), and a consumer project type-checks with it, where a wrong column is a compile error saying which.
const ROOT = path.join(__dirname, '..', '..');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const CLI = path.join(ROOT, 'client', 'dist', 'cjs', 'cli.js');
const CLIENT = path.dirname(require.resolve('@testapi/client/package.json'));
const TYPE_TEST = path.join(ROOT, 'test', 'types', 'chinook-schema.types.ts');

let url: string;
let server: ServerProcess;
let consumer: string;

beforeAll(async () => {
  url = await createFixtureDatabase(databaseUrl(), 'chinook');
  server = await startServerProcess({
    DATABASE_URL: url,
    TESTAPI_TARGET_SCHEMAS: 'public',
    TESTAPI_SCENARIOS_DIR: path.join(ROOT, 'test', 'fixtures', 'scenarios', 'chinook'),
  });
  consumer = fs.mkdtempSync(path.join(os.tmpdir(), 'testapi-generate-'));
  fs.mkdirSync(path.join(consumer, 'node_modules', '@testapi'), { recursive: true });
  fs.symlinkSync(CLIENT, path.join(consumer, 'node_modules', '@testapi', 'client'));
}, 60_000);

afterAll(async () => {
  await server?.stop();
  fs.rmSync(consumer, { recursive: true, force: true });
  await dropDatabase(databaseUrl(), url);
});

function run(file: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [file, ...args], { cwd, env: { PATH: process.env.PATH ?? '' } }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

function typeCheck(source: string, file = 'consumer.ts'): Promise<{ code: number; stdout: string }> {
  fs.writeFileSync(path.join(consumer, file), source);
  fs.writeFileSync(
    path.join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'node16', lib: ['ES2022', 'DOM'], types: [], strict: true, noEmit: true, skipLibCheck: true },
      files: [file],
    }),
  );
  return run(TSC, ['-p', 'tsconfig.json'], consumer);
}

const IMPORTS = `import { createTestApi } from '@testapi/client';
import { useTestApi } from '@testapi/client/jest';
import type { paths } from './testapi.generated';
const api = createTestApi<paths>({ baseUrl: 'http://127.0.0.1:3000' });
const data = useTestApi<paths>({ prefix: 'consumer' });
`;

describe('testapi generate', () => {
  test('When run against a deployment, then it writes the types of its scenarios and tables, which pass the type test of test/types', async () => {
    const result = await run(CLI, ['generate', '--url', server.url, '--out', 'testapi.generated.ts'], consumer);

    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe("wrote testapi.generated.ts: 2 scenario(s), POST /graphs typed by the deployment's tables\n");
    fs.copyFileSync(path.join(consumer, 'testapi.generated.ts'), path.join(consumer, 'chinook.generated.ts'));
    // Every @ts-expect-error of the type test must still be an error, every correct use still compile.
    const checked = await typeCheck(fs.readFileSync(TYPE_TEST, 'utf8'), 'chinook-schema.types.ts');
    expect(checked.stdout).toBe('');
    expect(checked.code).toBe(0);
  }, 60_000);

  test('When a consumer uses the generated types correctly, then tsc passes', async () => {
    const result = await typeCheck(`${IMPORTS}
export async function arrange(): Promise<string> {
  const overdue = await api.provision('customer-with-overdue-invoice', { seed: 1, params: { invoices: 2 }, overrides: { customer: { last_name: 'Ng' } } });
  const playlist = await data.provision('playlist-with-tracks', { params: { name: 'Mix', tracks: 3 } });
  await api.graph({ graph: { customer: [{ count: 2, set: { first_name: 'Ada' }, invoice: [{ invoice_line: [{ count: 2 }] }] }] } });
  await data.graph({ graph: { employee: [{ 'employee.reports_to': [{ count: 2 }] }] } });
  return overdue.data.customer.email + playlist.data.playlist.name;
}
`);

    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
  }, 60_000);

  test('When a consumer sets a column the table does not have, then tsc fails naming the column', async () => {
    const result = await typeCheck(`${IMPORTS}
export const wrong = () => api.graph({ graph: { customer: [{ invoice: [{ set: { totl: 10 } }] }] } });
`);

    expect(result.code).not.toBe(0);
    const errors = result.stdout.split('\n').filter((line) => line.includes('error TS'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^consumer\.ts\(7,\d+\): error TS2561: Object literal may only specify known properties, but 'totl' does not exist in type '\{ invoice_id\?: number/);
    expect(errors[0]).toMatch(/Did you mean to write 'total'\?$/);
  }, 60_000);

  test('When openapi-typescript is not installed next to the client, then generate exits 2 with one line saying what to install', async () => {
    // A consumer whose node_modules hold the client and its own dependencies only (copied: a symlink would
    // resolve back into this repository, where openapi-typescript is installed).
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'testapi-no-generator-'));
    try {
      const installed = path.join(bare, 'node_modules', '@testapi', 'client');
      fs.mkdirSync(installed, { recursive: true });
      fs.cpSync(path.join(CLIENT, 'dist'), path.join(installed, 'dist'), { recursive: true });
      fs.copyFileSync(path.join(CLIENT, 'package.json'), path.join(installed, 'package.json'));
      for (const dependency of ['commander', 'openapi-fetch', 'openapi-typescript-helpers']) {
        fs.symlinkSync(path.join(ROOT, 'node_modules', dependency), path.join(bare, 'node_modules', dependency));
      }

      const result = await run(path.join(installed, 'dist', 'cjs', 'cli.js'), ['generate', '--url', server.url, '--out', 'types.ts'], bare);

      expect(result).toEqual({ code: 2, stdout: '', stderr: 'testapi: generate needs openapi-typescript 7 next to @testapi/client: npm install --save-dev openapi-typescript@7\n' });
      expect(fs.existsSync(path.join(bare, 'types.ts'))).toBe(false);
    } finally {
      fs.rmSync(bare, { recursive: true, force: true });
    }
  }, 30_000);
});

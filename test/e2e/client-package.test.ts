import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

// The acceptance check of issue 5: `npm pack` of the client installs into an
// empty project, type-checks a consumer in CommonJS and ESM, and runs there.
const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');
const CLIENT = path.join(ROOT, 'client');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

let workDir: string;

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'testapi-client-pack-'));
});
afterAll(() => {
  fs.rmSync(workDir, { recursive: true, force: true });
});

const CONSUMER_CJS = `
import { createTestApi, TestApiError, type ScenarioName } from '@testapi/client';
import { useTestApi } from '@testapi/client/jest';

const api = createTestApi({ baseUrl: 'http://127.0.0.1:3000', apiKey: 'a-key-of-sixteen-chars' });
export async function seed(): Promise<number> {
  const result = await api.provision('user-with-orders', { tag: 'consumer-1', seed: 1, params: { orders: 2, status: 'paid' } });
  // @ts-expect-error orders is a number
  await api.provision('user-with-orders', { params: { orders: 'two' } });
  // @ts-expect-error not a scenario
  await api.provision('users');
  return result.data.orders.length;
}
export const names: ScenarioName[] = ['user', 'catalog'];
export const isProblem = (error: unknown): boolean => error instanceof TestApiError && error.fieldErrors.length > 0;
export const data = () => useTestApi({ prefix: 'consumer' });
`;

const CONSUMER_ESM = `
import { createTestApi } from '@testapi/client';
import { useTestApi } from '@testapi/client/jest';

export const products = async (): Promise<number> => (await createTestApi({ baseUrl: 'http://127.0.0.1:3000' }).provision('catalog', { params: { products: 2 } })).data.products.length;
// @ts-expect-error products is a number
export const wrong = () => createTestApi({ baseUrl: 'x' }).provision('catalog', { params: { products: '2' } });
export const tag = (): string => useTestApi({ prefix: 'consumer' }).tag;
`;

describe('@testapi/client as a published package', () => {
  test('When packed and installed into an empty project, then a CommonJS and an ESM consumer type-check, both entry points load, and the bin runs', async () => {
    // Arrange: pack what `npm test` just built (scripts off: no rebuild here)
    const { stdout: packed } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', workDir], { cwd: CLIENT });
    const [info] = JSON.parse(packed) as [{ filename: string; files: { path: string }[] }];
    const consumer = path.join(workDir, 'consumer');
    fs.mkdirSync(consumer);
    fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    fs.writeFileSync(path.join(consumer, 'consumer.ts'), CONSUMER_CJS);
    fs.writeFileSync(path.join(consumer, 'consumer.mts'), CONSUMER_ESM);
    // No @types/node: the declarations must not lean on Node's types. skipLibCheck as `tsc --init` sets it
    // (checking lib.dom.d.ts took 10+ s): were a declaration broken, its types would turn to any and the
    // consumers' expected errors would go missing, which fails the check.
    fs.writeFileSync(
      path.join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'node20', moduleResolution: 'node16', lib: ['ES2022', 'DOM'], types: [], strict: true, noEmit: true, skipLibCheck: true },
        files: ['consumer.ts', 'consumer.mts'],
      }),
    );

    // Act
    await run('npm', ['install', path.join(workDir, info.filename), '--prefer-offline', '--no-audit', '--no-fund'], { cwd: consumer });
    const typeCheck = await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: consumer }).then(
      () => ({ code: 0, output: '' }),
      (error: { code: number; stdout: string }) => ({ code: error.code, output: error.stdout }),
    );
    const cjs = await run(process.execPath, ['-e', `const c = require('@testapi/client'); const j = require('@testapi/client/jest'); console.log(typeof c.createTestApi, typeof c.TestApiError, typeof j.useTestApi)`], { cwd: consumer });
    const esm = await run(process.execPath, ['--input-type=module', '-e', `import { createTestApi } from '@testapi/client'; import { useTestApi } from '@testapi/client/jest'; console.log(typeof createTestApi, typeof useTestApi)`], { cwd: consumer });
    const help = await run(path.join(consumer, 'node_modules', '.bin', 'testapi'), ['--help'], { cwd: consumer });

    // Assert
    expect(info.files.map((file) => file.path)).toEqual(expect.arrayContaining(['package.json', 'dist/cjs/index.js', 'dist/esm/index.js', 'dist/cjs/jest.d.ts', 'dist/cjs/cli.js']));
    expect(info.files.some((file) => file.path.startsWith('src/'))).toBe(false);
    const installed = fs.readdirSync(path.join(consumer, 'node_modules')).sort();
    expect(installed).toEqual(['.bin', '.package-lock.json', '@testapi', 'commander', 'openapi-fetch', 'openapi-typescript-helpers']);
    expect(typeCheck).toEqual({ code: 0, output: '' });
    expect(cjs.stdout).toBe('function function function\n');
    expect(esm.stdout).toBe('function function\n');
    expect(help.stdout).toMatch(/^Usage: testapi \[options\] \[command\]/);
  }, 120_000);

  test('When the Jest helper is used outside a test runner, then it explains why instead of failing later', async () => {
    const outside = await run(process.execPath, ['-e', `require('@testapi/client/jest').useTestApi({ prefix: 'script' })`], { cwd: ROOT }).catch(
      (error: { code: number; stderr: string }) => error,
    );

    expect(outside).toMatchObject({ code: 1, stderr: expect.stringContaining('useTestApi: no global afterAll: call it from a Jest test file') });
  });
});

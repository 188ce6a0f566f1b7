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
  test('When packed with pack:client into a sibling project and installed there as the README says, then a CommonJS and an ESM consumer type-check, both entry points load, the bin runs, and the README stands alone', async () => {
    // Arrange: a consumer project elsewhere, named by a relative --out as in `--out ../my-app`; pack what `npm test` just built (--no-build: no rebuild here)
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
    const { stdout: packed } = await run('npm', ['run', '--silent', 'pack:client', '--', '--out', path.relative(ROOT, consumer), '--no-build'], { cwd: ROOT });
    const tarball = path.join(consumer, 'testapi-client-0.1.0.tgz');
    const { stdout: listing } = await run('tar', ['-tzf', tarball]);
    const files = listing.split('\n').filter(Boolean).map((file) => file.replace(/^package\//, ''));
    const { stdout: readme } = await run('tar', ['-xzOf', tarball, 'package/README.md']);

    // Act: the README's install line, run in the consumer
    await run('npm', ['install', '-D', './testapi-client-0.1.0.tgz', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: consumer });
    const typeCheck = await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: consumer }).then(
      () => ({ code: 0, output: '' }),
      (error: { code: number; stdout: string }) => ({ code: error.code, output: error.stdout }),
    );
    const cjs = await run(process.execPath, ['-e', `const c = require('@testapi/client'); const j = require('@testapi/client/jest'); console.log(typeof c.createTestApi, typeof c.TestApiError, typeof j.useTestApi)`], { cwd: consumer });
    const esm = await run(process.execPath, ['--input-type=module', '-e', `import { createTestApi } from '@testapi/client'; import { useTestApi } from '@testapi/client/jest'; console.log(typeof createTestApi, typeof useTestApi)`], { cwd: consumer });
    const help = await run(path.join(consumer, 'node_modules', '.bin', 'testapi'), ['--help'], { cwd: consumer });

    // Assert
    expect(packed).toBe(`wrote ${tarball}\nin your project: npm install -D ${tarball}\n`);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/cjs/index.js', 'dist/esm/index.js', 'dist/cjs/jest.d.ts', 'dist/cjs/cli.js']));
    expect(files.some((file) => file.startsWith('src/'))).toBe(false);
    // Outside the repository, a relative link leads nowhere.
    expect(readme.match(/\]\((?!https?:\/\/|#)[^)]*\)/g)).toBeNull();
    expect(readme).toContain('npm run pack:client -- --out');
    const installed = fs.readdirSync(path.join(consumer, 'node_modules')).sort();
    expect(JSON.parse(fs.readFileSync(path.join(consumer, 'package.json'), 'utf8')).devDependencies).toEqual({ '@testapi/client': 'file:testapi-client-0.1.0.tgz' });
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

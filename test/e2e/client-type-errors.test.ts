import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scenarioNames } from '../../src/scenarios/registry';

// A wrong scenario name must be a compile error that lists the valid names
// (most editors show the message on hover), as the runtime 404 does.
const ROOT = path.join(__dirname, '..', '..');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const CLIENT = path.dirname(require.resolve('@testapi/client/package.json'));

let consumer: string;

beforeAll(() => {
  consumer = fs.mkdtempSync(path.join(os.tmpdir(), 'testapi-type-errors-'));
  fs.mkdirSync(path.join(consumer, 'node_modules', '@testapi'), { recursive: true });
  fs.symlinkSync(CLIENT, path.join(consumer, 'node_modules', '@testapi', 'client'));
});
afterAll(() => {
  fs.rmSync(consumer, { recursive: true, force: true });
});

describe('A wrong scenario name in TypeScript', () => {
  test('When provision() gets an unknown name, through the client or the Jest helper, then the error lists every scenario of the registry', async () => {
    fs.writeFileSync(
      path.join(consumer, 'wrong.ts'),
      `import { createTestApi } from '@testapi/client';
import { useTestApi } from '@testapi/client/jest';
export const viaClient = () => createTestApi({ baseUrl: 'http://127.0.0.1:3000' }).provision('user-with-order');
export const viaHelper = () => useTestApi({ prefix: 'types' }).provision('usr');
`,
    );
    fs.writeFileSync(
      path.join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'node16', lib: ['ES2022', 'DOM'], types: [], strict: true, noEmit: true, skipLibCheck: true },
        files: ['wrong.ts'],
      }),
    );
    const args = ['-p', 'tsconfig.json'];

    const output = await new Promise<string>((resolve) => execFile(process.execPath, [TSC, ...args], { cwd: consumer }, (_error, stdout) => resolve(stdout)));

    const errors = output.split('\n').filter((line) => line.includes('error TS'));
    expect(errors).toHaveLength(2);
    for (const error of errors) {
      expect(error).toMatch(/is not assignable to parameter of type '"[^']+'/);
      for (const name of scenarioNames()) expect(error).toContain(`"${name}"`);
    }
  }, 30_000);
});

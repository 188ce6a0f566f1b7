import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { contractFetch } from '../support/contract-fetch';
import { useChinookScenarioFiles } from '../support/chinook-scenario-files';
import { startServerProcess } from '../support/server-process';

const SERVER_ENTRY = path.join(__dirname, '..', '..', 'dist', 'src', 'server.js');

const chinook = useChinookScenarioFiles('startup-scenarios');

const env = (): Record<string, string> => ({ DATABASE_URL: chinook.url, TESTAPI_TARGET_SCHEMAS: 'public', TESTAPI_SCENARIOS_DIR: chinook.dir });

/** Runs the built service to its exit: exit code and what it wrote to stderr. */
function runToExit(extra: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [SERVER_ENTRY], { env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'warn', ...extra }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    }),
  );
}

describe('Scenario files at start-up', () => {
  test('When the folder holds good files, then the service listens and offers them', async () => {
    const server = await startServerProcess(env());
    try {
      const res = await contractFetch()(`${server.url}/scenarios`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { scenarios: Array<{ name: string }> }).scenarios.map((scenario) => scenario.name)).toEqual([
        'customer-with-overdue-invoice',
        'playlist-with-tracks',
      ]);
    } finally {
      expect((await server.stop()).code).toBe(0);
    }
  }, 60_000);

  test('When a file names an unknown column, then the service exits 1 before listening, with one line naming the file and the path', async () => {
    fs.writeFileSync(path.join(chinook.dir, 'broken.yaml'), 'name: broken\nversion: 1\ngraph:\n  customer:\n    - set: { emial: x@example.com }\n');
    try {
      const { code, stderr } = await runToExit(env());

      expect(code).toBe(1);
      expect(stderr.trimEnd().split('\n')).toEqual([
        `testapi: scenario file broken.yaml: graph.customer[0].set.emial: table customer has no column "emial" (TESTAPI_SCENARIOS_DIR=${chinook.dir})`,
      ]);
    } finally {
      fs.rmSync(path.join(chinook.dir, 'broken.yaml'));
    }
  }, 60_000);

  test('When TESTAPI_SCENARIOS_DIR is set without a target schema, then the service refuses its configuration in one line', async () => {
    const { code, stderr } = await runToExit({ DATABASE_URL: chinook.url, TESTAPI_SCENARIOS_DIR: chinook.dir });

    expect(code).toBe(2);
    expect(stderr).toBe('testapi: Invalid TESTAPI_SCENARIOS_DIR: scenario files describe graphs of your schema: set TESTAPI_TARGET_SCHEMAS too\n');
  });
});

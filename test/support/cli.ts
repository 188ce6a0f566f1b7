import { execFile } from 'node:child_process';
import path from 'node:path';

/** The built `testapi` bin, found the way npm links it: through the package's "bin". */
const packageDir = path.dirname(require.resolve('@testapi/client/package.json'));
export const TESTAPI_BIN = path.join(packageDir, (require('@testapi/client/package.json') as { bin: { testapi: string } }).bin.testapi);

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the `testapi` bin on this Node, its environment only PATH and `env`; never rejects (the exit code says). */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [TESTAPI_BIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

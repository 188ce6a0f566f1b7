import type { Command } from 'commander';
import { baseUrlProblem } from '../base-url.js';
import { createTestApi, type TestApi } from '../client.js';
import { CliFailure, EXIT_USAGE } from './failure.js';

export const DEFAULT_URL = 'http://127.0.0.1:3000';

/** Where the CLI writes and which environment it reads: injectable so it can run in-process. */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** What every command gets: the io, and a client for the URL the user chose. */
export interface CliContext {
  io: CliIo;
  /** The client for `--url`, else `TESTAPI_URL`, else the default; a malformed URL is a usage error (exit 2). */
  api(command: Command): TestApi;
  /** Prints `body` as JSON with `--json`, else the human summary. */
  print(json: boolean | undefined, body: unknown, human: () => string): void;
}

export function createContext(io: CliIo): CliContext {
  return {
    io,
    api(command) {
      const { url } = command.optsWithGlobals<{ url?: string }>();
      const [source, baseUrl] = url !== undefined ? ['--url', url] : io.env.TESTAPI_URL ? ['TESTAPI_URL', io.env.TESTAPI_URL] : ['the default URL', DEFAULT_URL];
      const problem = baseUrlProblem(baseUrl);
      if (problem) throw new CliFailure(`${source} ${problem}`, EXIT_USAGE);
      const apiKey = io.env.TESTAPI_API_KEY || undefined;
      // fetch would refuse the header with a message that prints the key itself.
      if (apiKey && /[^\x21-\x7e]/.test(apiKey)) throw new CliFailure('TESTAPI_API_KEY holds a space, line break or non-ASCII character: check how it was set', EXIT_USAGE);
      return createTestApi({ baseUrl, apiKey });
    },
    print(json, body, human) {
      io.stdout(`${json ? JSON.stringify(body, null, 2) : human()}\n`);
    },
  };
}

/** A usage error found after parsing (options that do not go together): printed and exited like commander's own. */
export function usageError(command: Command, message: string): never {
  command.error(`error: ${message}`, { exitCode: EXIT_USAGE, code: 'testapi.usage' });
}

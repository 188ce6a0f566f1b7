import { Command, CommanderError, Option } from 'commander';
import { createTestApi, type CleanupFilter, type TestApi } from '../client.js';
import { TestApiConnectionError, TestApiError } from '../errors.js';
import type { ScenarioName, ScenarioRequest } from '../scenario-types.js';
import { assignmentParser, parseDuration, parseWholeNumber } from './arguments.js';
import { formatCleanup, formatDeleteTag, formatProvision, formatScenarios, formatTags } from './output.js';

const DEFAULT_URL = 'http://127.0.0.1:3000';
const USAGE = 'testapi.usage';

/** Where the CLI writes and which environment it reads: injectable so it can run in-process. */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

function print(io: CliIo, json: boolean | undefined, body: unknown, human: () => string): void {
  io.stdout(`${json ? JSON.stringify(body, null, 2) : human()}\n`);
}

function usageError(command: Command, message: string): never {
  command.error(`error: ${message}`, { exitCode: 2, code: USAGE });
}

function buildProgram(io: CliIo): Command {
  const program = new Command('testapi');
  program
    .description('Provision and clean up tagged test data in a testapi service.')
    .option('--url <url>', `service URL (default: TESTAPI_URL, else ${DEFAULT_URL})`)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      `
Environment:
  TESTAPI_URL      service URL (default ${DEFAULT_URL})
  TESTAPI_API_KEY  bearer key, when the service requires one

Exit codes: 0 success, 1 the service refused or could not be reached, 2 invalid arguments.`,
    );

  const api = (command: Command): TestApi => {
    const { url } = command.optsWithGlobals<{ url?: string }>();
    return createTestApi({ baseUrl: url ?? io.env.TESTAPI_URL ?? DEFAULT_URL, apiKey: io.env.TESTAPI_API_KEY || undefined });
  };

  program
    .command('provision')
    .description('Provision a scenario under a tag')
    .argument('<scenario>', 'scenario name (see `testapi scenarios`)')
    .option('--tag <tag>', 'tag to own the rows (default: one chosen by the service)')
    .option('--seed <n>', 'seed for reproducible data', parseWholeNumber(0, 2_147_483_647))
    .option('--ttl <duration>', 'lifetime of the tag, e.g. 30m, 2h, 7d', parseDuration)
    .option('--param <key=value>', 'scenario param, repeatable; JSON values (5, true, "007") keep their type', assignmentParser('--param'))
    .option('--override <path=value>', 'override, repeatable, e.g. user.email=ana@example.com', assignmentParser('--override'))
    .option('--idempotency-key <key>', 'replay instead of writing twice when retried with the same key')
    .option('--json', 'print the whole result as JSON')
    .addHelpText('after', '\nExample:\n  testapi provision user-with-orders --tag checkout-7 --seed 42 --param orders=5 --param status=shipped --json')
    .action(async (scenario: string, options, command: Command) => {
      const body = {
        ...(options.tag !== undefined ? { tag: options.tag } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(options.ttl !== undefined ? { ttlSeconds: options.ttl } : {}),
        ...(options.param ? { params: options.param } : {}),
        ...(options.override ? { overrides: options.override } : {}),
      };
      // The name is checked by the service (404 for an unknown scenario), not at compile time here.
      const result = await api(command).provision(scenario as ScenarioName, body as ScenarioRequest<ScenarioName>, {
        ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
      });
      print(io, options.json, result, () => formatProvision(result));
    });

  program
    .command('cleanup')
    .description('Delete what a tag owns (--tag), what matches filters, or every registered tag (--all)')
    .option('--tag <tag>', 'delete the rows of this one tag')
    .option('--expired', 'tags past their expiry')
    .option('--older-than <duration>', 'tags created longer ago than this, e.g. 30s, 15m, 2h, 7d', parseDuration)
    .option('--prefix <prefix>', 'tags starting with this text')
    .addOption(new Option('--all', 'every registered tag (alone)'))
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nFilters combine (all must hold); --tag and --all stand alone.\nExamples:\n  testapi cleanup --tag checkout-7\n  testapi cleanup --prefix ci- --older-than 2h\n  testapi cleanup --expired',
    )
    .action(async (options, command: Command) => {
      const filters = [options.expired && '--expired', options.olderThan !== undefined && '--older-than', options.prefix !== undefined && '--prefix'].filter(
        Boolean,
      );
      if (options.all && (filters.length > 0 || options.tag !== undefined)) {
        usageError(command, `--all stands alone: drop ${[options.tag !== undefined && '--tag', ...filters].filter(Boolean).join(', ')}`);
      }
      if (options.tag !== undefined) {
        if (filters.length > 0) usageError(command, `--tag deletes one tag and cannot be combined with ${filters.join(', ')}`);
        const result = await api(command).cleanup(options.tag);
        print(io, options.json, result, () => formatDeleteTag(result));
        return;
      }
      if (!options.all && filters.length === 0) usageError(command, 'say what to delete: --tag T, --expired, --older-than D, --prefix P, or --all');
      const filter: CleanupFilter = options.all
        ? { all: true }
        : {
            ...(options.expired ? { expired: true as const } : {}),
            ...(options.olderThan !== undefined ? { olderThanSeconds: options.olderThan } : {}),
            ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
          };
      const result = await api(command).cleanupWhere(filter);
      print(io, options.json, result, () => formatCleanup(result));
    });

  program
    .command('tags')
    .description('List registered tags, newest first')
    .option('--prefix <prefix>', 'only tags starting with this text')
    .option('--limit <n>', 'page size (1-1000, default 100)', parseWholeNumber(1, 1000))
    .option('--cursor <cursor>', 'the next page, as printed after the previous one')
    .option('--json', 'print the page as JSON')
    .action(async (options, command: Command) => {
      const result = await api(command).tags({
        ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
        ...(options.limit !== undefined ? { limit: options.limit } : {}),
        ...(options.cursor !== undefined ? { cursor: options.cursor } : {}),
      });
      print(io, options.json, result, () => formatTags(result));
    });

  program
    .command('scenarios')
    .description('List the scenarios and their params')
    .option('--json', 'print the catalog, with JSON Schemas, as JSON')
    .action(async (options, command: Command) => {
      const result = await api(command).scenarios();
      print(io, options.json, result, () => formatScenarios(result));
    });

  return program;
}

/** Runs the CLI on `argv` (user arguments only, without node and the script) and resolves with the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; every other parse error is a usage error.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof TestApiError || error instanceof TestApiConnectionError) {
      io.stderr(`testapi: ${error.message}\n`);
      return 1;
    }
    io.stderr(`testapi: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

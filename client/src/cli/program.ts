import { Command, CommanderError } from 'commander';
import { cleanupCommand } from './commands/cleanup.js';
import { exportCommand } from './commands/export.js';
import { importCommand } from './commands/import.js';
import { generateCommand } from './commands/generate.js';
import { graphCommand } from './commands/graph.js';
import { pactCommand } from './commands/pact.js';
import { provisionCommand } from './commands/provision.js';
import { scenariosCommand } from './commands/scenarios.js';
import { tagsCommand } from './commands/tags.js';
import { createContext, DEFAULT_URL, type CliContext, type CliIo } from './context.js';
import { EXIT_USAGE, reportFailure } from './failure.js';

export type { CliIo } from './context.js';

/** One file per command in ./commands: adding one is a file and a line here. */
const COMMANDS: ((context: CliContext) => Command)[] = [provisionCommand, graphCommand, cleanupCommand, tagsCommand, scenariosCommand, pactCommand, exportCommand, importCommand, generateCommand];

function buildProgram(context: CliContext): Command {
  const { io } = context;
  const program = new Command('testapi')
    .description('Provision and clean up tagged test data in a testapi service.')
    .option('--url <url>', `service URL (default: TESTAPI_URL, else ${DEFAULT_URL})`)
    .option('--debug', 'on failure, print the stack and its causes too')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      `
Environment:
  TESTAPI_URL      service URL (default ${DEFAULT_URL})
  TESTAPI_API_KEY  bearer key, when the service requires one

Exit codes: 0 success, 1 the service refused or could not be reached, 2 invalid arguments or settings.`,
    );
  for (const build of COMMANDS) {
    // addCommand, unlike command(), does not pass the program's output and exit settings on.
    program.addCommand(build(context).copyInheritedSettings(program));
  }
  return program;
}

/** Runs the CLI on `argv` (user arguments only, without node and the script) and resolves with the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = buildProgram(createContext(io));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    // Commander has printed its own message; help and version exit 0, every other parse error is a usage error.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    const { url, debug } = program.opts<{ url?: string; debug?: boolean }>();
    const report = reportFailure(error, url ?? io.env.TESTAPI_URL ?? DEFAULT_URL, debug === true);
    io.stderr(report.text);
    return report.exitCode;
  }
}

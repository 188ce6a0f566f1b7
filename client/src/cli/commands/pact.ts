import fs from 'node:fs';
import { Command } from 'commander';
import type { PactMapping, PactMappingRequest } from '../../pact.js';
import type { CliContext } from '../context.js';
import { CliFailure, EXIT_USAGE } from '../failure.js';

function readMapping(file: string): PactMappingRequest {
  let text: string;
  try {
    text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new CliFailure(`--file ${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, EXIT_USAGE);
  }
  try {
    return JSON.parse(text) as PactMappingRequest;
  } catch (error) {
    throw new CliFailure(`--file ${file} is not valid JSON: ${(error as Error).message}`, EXIT_USAGE);
  }
}

function formatMapping(mapping: PactMapping): string {
  const states = Object.entries(mapping.states).map(([name, state]) => `  ${JSON.stringify(name)} -> ${state.scenario ?? '(no data)'}`);
  return [`pact mapping ${mapping.name}: ${states.length} state(s), ttl ${mapping.ttlSeconds} s, unknown states: ${mapping.unknownStates}`, ...states].join('\n');
}

/**
 * A command with subcommands. The program copies its output and exit settings
 * onto each command it adds, after the command is built; commander copies them
 * onto subcommands only when they are created, so pass them on from here too
 * (without it a usage error in a subcommand would exit the process).
 */
class CommandGroup extends Command {
  override copyInheritedSettings(source: Command): this {
    super.copyInheritedSettings(source);
    for (const subcommand of this.commands) subcommand.copyInheritedSettings(this);
    return this;
  }
}

/** `testapi pact ...`: Pact provider-state mappings and the state change URL. */
export function pactCommand(context: CliContext): Command {
  const pact = new CommandGroup('pact').description('Pact provider states: store mappings, print the state change URL');

  pact
    .command('put-mapping')
    .description('Create or replace a mapping of provider states to scenarios')
    .argument('<name>', 'mapping name (1-24 letters, digits, "_" or "-")')
    .requiredOption('--file <path>', 'the mapping as JSON ("-" reads stdin)')
    .option('--json', 'print the stored mapping as JSON')
    .addHelpText('after', '\nExample:\n  testapi pact put-mapping orders-api --file pact/states.json')
    .action(async (name: string, options, command: Command) => {
      const result = await context.api(command).pact.putMapping(name, readMapping(options.file));
      context.print(options.json, result, () => formatMapping(result));
    });

  pact
    .command('get-mapping')
    .description('Print a stored mapping')
    .argument('<name>', 'mapping name')
    .option('--json', 'print the mapping as JSON')
    .action(async (name: string, options, command: Command) => {
      const result = await context.api(command).pact.getMapping(name);
      context.print(options.json, result, () => formatMapping(result));
    });

  pact
    .command('delete-mapping')
    .description('Delete a mapping (its states\' tags stay until their TTL or a cleanup)')
    .argument('<name>', 'mapping name')
    .action(async (name: string, _options, command: Command) => {
      await context.api(command).pact.deleteMapping(name);
      context.io.stdout(`deleted pact mapping ${name}\n`);
    });

  pact
    .command('state-url')
    .description('Print the provider-state change URL for a verifier (--state-change-url)')
    .requiredOption('--mapping <name>', 'mapping name')
    .requiredOption('--session <id>', 'isolates this verification, e.g. the CI job id')
    .action((options, command: Command) => {
      context.io.stdout(`${context.api(command).pact.stateUrl({ mapping: options.mapping, session: options.session })}\n`);
    });

  return pact;
}

import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { formatScenarios } from '../output.js';

export function scenariosCommand(context: CliContext): Command {
  return new Command('scenarios')
    .description('List the scenarios and their params')
    .option('--json', 'print the catalog, with JSON Schemas, as JSON')
    .action(async (options, command: Command) => {
      const result = await context.api(command).scenarios();
      context.print(options.json, result, () => formatScenarios(result));
    });
}

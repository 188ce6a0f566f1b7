import { Command } from 'commander';
import type { ScenarioName, ScenarioRequest } from '../../scenario-types.js';
import { assignmentParser, parseDuration, parseWholeNumber } from '../arguments.js';
import type { CliContext } from '../context.js';
import { formatProvision } from '../output.js';

export function provisionCommand(context: CliContext): Command {
  return new Command('provision')
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
      const result = await context.api(command).provision(scenario as ScenarioName, body as ScenarioRequest<ScenarioName>, {
        ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
      });
      context.print(options.json, result, () => formatProvision(result));
    });
}

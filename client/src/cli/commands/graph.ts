import fs from 'node:fs';
import { Command } from 'commander';
import type { GraphRequest } from '../../client.js';
import { parseDuration, parseWholeNumber } from '../arguments.js';
import { usageError, type CliContext } from '../context.js';
import { formatGraph } from '../output.js';

/**
 * The file's request: a whole POST /graphs body ({"graph": ...} with tag,
 * seed, clock...), or the graph alone ({"customer": [{"count": 2}]}).
 */
function readGraphFile(command: Command, file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    usageError(command, `cannot read ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    usageError(command, `${file} is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) usageError(command, `${file} must hold a JSON object: a POST /graphs body, or its graph`);
  const body = parsed as Record<string, unknown>;
  return 'graph' in body ? body : { graph: body };
}

/** `testapi graph --file graph.json`: provisions an ad hoc graph (POST /graphs) and prints its counts. */
export function graphCommand(context: CliContext): Command {
  return new Command('graph')
    .description('Provision an ad hoc graph of rows (POST /graphs) under a tag')
    .requiredOption('--file <file>', 'the graph as JSON (a POST /graphs body or its graph alone), or - for stdin')
    .option('--tag <tag>', 'tag to own the rows (default: the file\'s, else one chosen by the service)')
    .option('--seed <n>', 'seed for reproducible data', parseWholeNumber(0, 2_147_483_647))
    .option('--ttl <duration>', 'lifetime of the tag, e.g. 30m, 2h, 7d', parseDuration)
    .option('--idempotency-key <key>', 'replay instead of writing twice when retried with the same key')
    .option('--json', 'print the whole answer (records, aliases) as JSON')
    .addHelpText('after', '\nExample:\n  echo \'{"customer": [{"count": 2, "invoice": [{"count": 3}]}]}\' | testapi graph --file - --tag invoices-3 --seed 42')
    .action(async (options, command: Command) => {
      const body = {
        ...readGraphFile(command, options.file),
        ...(options.tag !== undefined ? { tag: options.tag } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(options.ttl !== undefined ? { ttlSeconds: options.ttl } : {}),
      };
      const result = await context.api(command).graph(body as GraphRequest, { ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}) });
      context.print(options.json, result, () => formatGraph(result));
    });
}

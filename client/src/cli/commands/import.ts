import fs from 'node:fs';
import { Command } from 'commander';
import type { Snapshot } from '../../client.js';
import { parseWholeNumber } from '../arguments.js';
import { usageError, type CliContext } from '../context.js';

/** A snapshot file is one JSON document or NDJSON (a header line, then one line per row): sent as it is read. */
function readSnapshot(command: Command, file: string): Snapshot | string {
  let text: string;
  try {
    text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    usageError(command, `cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as Snapshot;
  } catch {
    // Not one document: NDJSON lines, checked by the service.
    return text;
  }
}

/** `testapi import TAG file.json`: recreates a snapshot under TAG and prints the counts. */
export function importCommand(context: CliContext): Command {
  return new Command('import')
    .description('Recreate a snapshot file under a tag (fresh keys, unique values re-salted)')
    .argument('<tag>', 'the tag to write the rows under')
    .argument('<file>', 'the snapshot file (JSON or NDJSON), or - for stdin')
    .option('--keep-unique-values', 'keep unique values as in the file (a collision fails)')
    .option('--ttl <seconds>', "the tag's lifetime in seconds", parseWholeNumber(1, 2_592_000))
    .option('--json', 'print the result (with the old -> new unique values) as JSON')
    .action(async (tag: string, file: string, options, command: Command) => {
      const snapshot = readSnapshot(command, file);
      const result = await context.api(command).importSnapshot(tag, snapshot, {
        ...(options.keepUniqueValues ? { keepUniqueValues: true } : {}),
        ...(options.ttl !== undefined ? { ttlSeconds: options.ttl } : {}),
      });
      context.print(options.json, result, () =>
        [`imported ${result.total} rows under ${result.tag}${result.sourceTag ? ` (from ${result.sourceTag})` : ''}`, ...Object.entries(result.counts).map(([table, n]) => `  ${table}: ${n}`)].join('\n'),
      );
    });
}

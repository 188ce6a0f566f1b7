import { Command } from 'commander';
import { parseWholeNumber } from '../arguments.js';
import type { CliContext } from '../context.js';
import { formatTags } from '../output.js';

export function tagsCommand(context: CliContext): Command {
  return new Command('tags')
    .description('List registered tags, newest first')
    .option('--prefix <prefix>', 'only tags starting with this text')
    .option('--limit <n>', 'page size (1-1000, default 100)', parseWholeNumber(1, 1000))
    .option('--cursor <cursor>', 'the next page, as printed after the previous one')
    .option('--json', 'print the page as JSON')
    .action(async (options, command: Command) => {
      const result = await context.api(command).tags({
        ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
        ...(options.limit !== undefined ? { limit: options.limit } : {}),
        ...(options.cursor !== undefined ? { cursor: options.cursor } : {}),
      });
      context.print(options.json, result, () => formatTags(result));
    });
}

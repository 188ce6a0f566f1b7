import { Command, Option } from 'commander';
import type { CleanupFilter } from '../../client.js';
import { parseDuration } from '../arguments.js';
import { usageError, type CliContext } from '../context.js';
import { formatCleanup, formatDeleteTag } from '../output.js';

export function cleanupCommand(context: CliContext): Command {
  return new Command('cleanup')
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
        const result = await context.api(command).cleanup(options.tag);
        context.print(options.json, result, () => formatDeleteTag(result));
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
      const result = await context.api(command).cleanupWhere(filter);
      context.print(options.json, result, () => formatCleanup(result));
    });
}

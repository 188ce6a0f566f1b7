import { Command, Option } from 'commander';
import type { CleanupFilter, CleanupOptions } from '../../client.js';
import { TestApiError } from '../../errors.js';
import { parseDuration } from '../arguments.js';
import { CliFailure, EXIT_FAILED } from '../failure.js';
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
    .addOption(new Option('--dependents <how>', 'delete: also delete rows outside the tags that reference their rows (your application\'s own)').choices(['delete']))
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nFilters combine (all must hold); --tag and --all stand alone.\nExamples:\n  testapi cleanup --tag checkout-7\n  testapi cleanup --tag checkout-7 --dependents delete\n  testapi cleanup --prefix ci- --older-than 2h\n  testapi cleanup --expired',
    )
    .action(async (options, command: Command) => {
      const filters = [options.expired && '--expired', options.olderThan !== undefined && '--older-than', options.prefix !== undefined && '--prefix'].filter(
        Boolean,
      );
      if (options.all && (filters.length > 0 || options.tag !== undefined)) {
        usageError(command, `--all stands alone: drop ${[options.tag !== undefined && '--tag', ...filters].filter(Boolean).join(', ')}`);
      }
      const cleanupOptions: CleanupOptions = options.dependents === 'delete' ? { dependents: 'delete' } : {};
      if (options.tag !== undefined) {
        if (filters.length > 0) usageError(command, `--tag deletes one tag and cannot be combined with ${filters.join(', ')}`);
        const result = await context
          .api(command)
          .cleanup(options.tag, cleanupOptions)
          .catch((error: unknown) => {
            // The service's word for it is the HTTP parameter; say the flag of this command.
            if (error instanceof TestApiError && /tag-referenced$/.test(error.problem?.type ?? '')) {
              throw new CliFailure(`${error.message}\n(testapi cleanup --tag ${options.tag} --dependents delete deletes those rows too)`, EXIT_FAILED);
            }
            throw error;
          });
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
      const result = await context.api(command).cleanupWhere(filter, cleanupOptions);
      context.print(options.json, result, () => formatCleanup(result));
    });
}

import { Command } from 'commander';
import type { CliContext } from '../context.js';

/** `testapi export TAG > file.json`: the snapshot goes to stdout as it is, to be committed as a fixture. */
export function exportCommand(context: CliContext): Command {
  return new Command('export')
    .description("Write a tag's rows as a snapshot (JSON) to stdout")
    .argument('<tag>', 'the tag to export')
    .addHelpText('after', '\nExample:\n  testapi export checkout-7 > test/fixtures/checkout.snapshot.json\n  testapi import checkout-7-copy test/fixtures/checkout.snapshot.json')
    .action(async (tag: string, _options, command: Command) => {
      const snapshot = await context.api(command).exportTag(tag);
      context.io.stdout(`${JSON.stringify(snapshot, null, 1)}\n`);
    });
}

/**
 * Teardown steps run last-registered-first on every way out: normal end,
 * an error, or Ctrl-C / SIGTERM. The bench starts a PostgreSQL cluster and the
 * service as child processes; none of them may outlive it.
 */
type Step = { name: string; run: () => Promise<void> };

const steps: Step[] = [];
let running: Promise<void> | undefined;

export function onTeardown(name: string, run: () => Promise<void>): void {
  steps.push({ name, run });
}

/** True once teardown began: later errors are its echoes, not findings. */
export function tearingDown(): boolean {
  return running !== undefined;
}

export function teardown(): Promise<void> {
  running ??= (async () => {
    while (steps.length > 0) {
      const step = steps.pop() as Step;
      try {
        await step.run();
      } catch (error) {
        process.stderr.write(`bench: teardown "${step.name}" failed: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
  })();
  return running;
}

export function teardownOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\nbench: ${signal} received, stopping the service and PostgreSQL...\n`);
      void teardown().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
}

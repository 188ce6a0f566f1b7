import type { BenchDatabase } from './database';
import type { RssSampler } from './rss-sampler';
import type { BenchService } from './service';

export interface BenchContext {
  db: BenchDatabase;
  service: BenchService;
  rss: RssSampler;
  /** Prefix of every tag this run creates: `bench-<runId>-...`. */
  tagPrefix: string;
  log(message: string): void;
  /** Records a failure of one measurement; the others still run, the exit code turns non-zero. */
  fail(what: string, error: unknown): void;
}

/** Runs one measurement; an error is recorded and yields undefined instead of ending the bench. */
export async function attempt<T>(context: BenchContext, what: string, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    context.fail(what, error);
    return undefined;
  }
}

import type { Pool, PoolClient } from 'pg';
import { emptyCounts, DOMAIN_TABLES_DELETE_ORDER, type TableCounts } from '../db/tables';
import type { Logger } from '../logger';
import type { Metrics } from '../observability/metrics';
import { isForeignKeyViolation, removeLockedTags, type Removal } from './tag-removal';
import { findCrossTagReference, lockExpiredTagsSkippingBusy, type CrossTagReference } from './tag.repository';
import { inTransaction } from '../db/transaction';

/**
 * Any fixed bigint works as long as every replica uses the same one; this is
 * the ASCII of "testswee".
 */
export const SWEEPER_LOCK_KEY = 0x7465737473776565n;

/** Tags per transaction: bounds how long one sweep holds row locks. */
export const DEFAULT_SWEEP_BATCH = 200;

export interface SweepOutcome {
  /** swept: this replica held the lock (possibly finding nothing); skipped: another replica holds it. */
  status: 'swept' | 'skipped' | 'failed';
  durationMs: number;
  tags: string[];
  deleted: TableCounts;
  total: number;
  /** Expired tags kept because rows of a live tag reference them. */
  kept: CrossTagReference[];
  error?: unknown;
}

export interface SweeperOptions {
  pool: Pool;
  logger: Logger;
  metrics: Pick<Metrics, 'rowsDeleted' | 'sweeperRun'>;
  /** 0 disables the timer; sweepOnce() still works. */
  intervalSeconds: number;
  batchSize?: number;
  /** Called after every batch, whatever its outcome (tests and extra telemetry hook in here). */
  onSweep?: (outcome: SweepOutcome) => void;
}

export interface Sweeper {
  start(): void;
  /** Stops the timer and waits for a running sweep to finish. */
  stop(): Promise<void>;
  /** One batch now (after any running one); never throws. */
  sweepOnce(): Promise<SweepOutcome>;
}

/**
 * Deletes expired tags in the background. Replicas sharing a database take
 * turns through a transaction-level advisory lock (released by COMMIT or
 * ROLLBACK, so a pooled connection can never keep it); a replica that does not
 * get it skips its turn. Tags busy in another transaction are skipped, not
 * waited for, so the sweeper never blocks a request.
 */
export function createSweeper(options: SweeperOptions): Sweeper {
  const { pool, logger, metrics, intervalSeconds, onSweep } = options;
  const batchSize = options.batchSize ?? DEFAULT_SWEEP_BATCH;
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;
  let chain: Promise<unknown> = Promise.resolve();

  function sweepOnce(): Promise<SweepOutcome> {
    const run = chain.then(() => sweepBatch());
    chain = run.catch(() => undefined);
    return run;
  }

  async function sweepBatch(): Promise<SweepOutcome> {
    const started = performance.now();
    let outcome: SweepOutcome;
    try {
      outcome = { ...(await sweepInTransaction(pool, batchSize)), durationMs: 0 };
    } catch (error) {
      outcome = { status: 'failed', durationMs: 0, tags: [], deleted: emptyCounts(), total: 0, kept: [], error };
    }
    outcome.durationMs = Math.round(performance.now() - started);
    report(outcome);
    return outcome;
  }

  function report(outcome: SweepOutcome): void {
    // A skipped turn is no pass: the replica holding the lock counts its own.
    if (outcome.status !== 'skipped') metrics.sweeperRun(outcome.status === 'failed' ? 'failed' : 'ok');
    if (outcome.status === 'failed') {
      logger.error({ err: outcome.error, durationMs: outcome.durationMs }, 'tag sweep failed; retrying at the next interval');
    } else if (outcome.tags.length > 0) {
      metrics.rowsDeleted(outcome.deleted);
      logger.info(
        { tags: outcome.tags.slice(0, 100), tagCount: outcome.tags.length, deleted: outcome.deleted, total: outcome.total, durationMs: outcome.durationMs },
        `tag sweep removed ${outcome.tags.length} expired tag(s), ${outcome.total} row(s)`,
      );
    }
    for (const reference of outcome.kept) {
      logger.warn(
        reference,
        `expired tag "${reference.tag}" kept: rows of tag "${reference.referencingTag}" in ${reference.table} reference its ${reference.referencedTable}`,
      );
    }
    try {
      onSweep?.(outcome);
    } catch (error) {
      logger.warn({ err: error }, 'onSweep hook failed');
    }
  }

  async function tick(): Promise<void> {
    // A batch removed in full suggests more expired tags wait: keep going while not stopping.
    let outcome: SweepOutcome;
    do {
      outcome = await sweepOnce();
    } while (!stopping && outcome.status === 'swept' && outcome.tags.length >= batchSize);
    schedule();
  }

  function schedule(): void {
    if (stopping || intervalSeconds <= 0) return;
    timer = setTimeout(() => void tick(), intervalSeconds * 1000);
    // Never keeps the process alive on its own.
    timer.unref();
  }

  return {
    start() {
      stopping = false;
      if (!timer) schedule();
    },
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await chain;
    },
    sweepOnce,
  };
}

async function sweepInTransaction(pool: Pool, batchSize: number): Promise<Omit<SweepOutcome, 'durationMs'>> {
  return inTransaction(pool, async (client) => {
    const lock = await client.query<{ acquired: boolean }>('SELECT pg_try_advisory_xact_lock($1::bigint) AS acquired', [
      SWEEPER_LOCK_KEY.toString(),
    ]);
    if (!lock.rows[0]?.acquired) return { status: 'skipped', tags: [], deleted: emptyCounts(), total: 0, kept: [] };
    const expired = await lockExpiredTagsSkippingBusy(client, batchSize);
    const { removals, kept } = await removeExpired(client, expired);
    const deleted = emptyCounts();
    for (const removal of removals) for (const table of DOMAIN_TABLES_DELETE_ORDER) deleted[table] += removal.counts[table];
    return {
      status: 'swept',
      tags: removals.flatMap((removal) => removal.tags),
      deleted,
      total: removals.reduce((sum, removal) => sum + removal.total, 0),
      kept,
    };
  });
}

/**
 * Removes the locked expired tags: all at once when possible; if a row of a
 * live tag references one of them, tag by tag behind savepoints, in passes
 * (deleting one expired tag can free another), keeping the referenced ones.
 */
async function removeExpired(client: PoolClient, tags: string[]): Promise<{ removals: Removal[]; kept: CrossTagReference[] }> {
  if (tags.length === 0) return { removals: [], kept: [] };
  const all = await attempt(client, tags);
  if (all) return { removals: [all], kept: [] };

  const removals: Removal[] = [];
  let pending = tags;
  let progress = true;
  while (pending.length > 0 && progress) {
    progress = false;
    const stillPending: string[] = [];
    for (const tag of pending) {
      const removal = await attempt(client, [tag]);
      if (removal) {
        removals.push(removal);
        progress = true;
      } else {
        stillPending.push(tag);
      }
    }
    pending = stillPending;
  }
  const kept: CrossTagReference[] = [];
  for (const tag of pending) {
    const reference = await findCrossTagReference(client, [tag]);
    if (reference) kept.push(reference);
  }
  return { removals, kept };
}

/** removeLockedTags behind a savepoint; undefined when a foreign key stopped it. */
async function attempt(client: PoolClient, tags: string[]): Promise<Removal | undefined> {
  await client.query('SAVEPOINT sweep_tags');
  try {
    const removal = await removeLockedTags(client, tags);
    await client.query('RELEASE SAVEPOINT sweep_tags');
    return removal;
  } catch (error) {
    if (!isForeignKeyViolation(error)) throw error;
    await client.query('ROLLBACK TO SAVEPOINT sweep_tags');
    return undefined;
  }
}

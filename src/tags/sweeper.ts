import type { Pool, PoolClient } from 'pg';
import { emptyCounts, type TableCounts } from '../db/tables';
import type { Logger } from '../logger';
import type { Metrics } from '../observability/metrics';
import { removeTags, type RemovalDeps } from './tag-removal';
import { lockExpiredTagsSkippingBusy, type CrossTagReference } from './tag.repository';

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
  /** The modelled tables, for rows removed through the row ledger (see tag-removal.ts). */
  schema?: RemovalDeps['schema'];
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
  const { pool, logger, metrics, intervalSeconds, onSweep, schema } = options;
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
      outcome = { ...(await sweepTurn({ pool, metrics, schema }, batchSize)), durationMs: 0 };
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

/**
 * One batch through the removal flow, locking tags only when this replica
 * holds the sweeper lock. Referenced expired tags stay and are reported:
 * nobody asked for them, and a live tag still needs their rows.
 */
async function sweepTurn(deps: RemovalDeps, batchSize: number): Promise<Omit<SweepOutcome, 'durationMs'>> {
  let turn = false;
  const removal = await removeTags(deps, {
    referenced: 'keep',
    async lock(client) {
      turn = await takeTurn(client);
      return turn ? lockExpiredTagsSkippingBusy(client, batchSize) : [];
    },
  });
  return { status: turn ? 'swept' : 'skipped', tags: removal.tags, deleted: removal.counts, total: removal.total, kept: removal.kept };
}

/** This replica's turn: a transaction-level advisory lock, released by COMMIT or ROLLBACK. */
async function takeTurn(client: PoolClient): Promise<boolean> {
  const lock = await client.query<{ acquired: boolean }>('SELECT pg_try_advisory_xact_lock($1::bigint) AS acquired', [SWEEPER_LOCK_KEY.toString()]);
  return lock.rows[0]?.acquired === true;
}

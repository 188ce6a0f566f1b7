import type { Pool, PoolClient } from 'pg';
import { sqlState } from '../db/errors';
import { addCounts, emptyCounts, totalOf, type TableCounts } from '../db/tables';
import type { Logger } from '../logger';
import type { Metrics } from '../observability/metrics';
import { DEFAULT_DELETE_BATCH_ROWS, deleteTagInBatches } from './batched-delete';
import { describeReferences } from './cleanup.use-case';
import { removeTags, type KeptTag, type Removal, type RemovalDeps, type RemovalPlan } from './tag-removal';
import { lockExpiredTag, lockExpiredTagsSkippingBusy, recordKept, type ExpiredPosition } from './tag.repository';

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
  /** Rows deleted per table of the tags: the shop's nine, or (target schemas) the tables the tags had rows in. */
  rows: Record<string, number>;
  total: number;
  /** Expired tags kept because rows outside them (a live tag's, or the application's own) reference them, each with every reference. */
  kept: KeptTag[];
  /** Expired tags that failed on their own (isolated in their own transactions, logged); the sweep moved past them. */
  failed: Array<{ tag: string; error: unknown }>;
  /** The turn filled its page: more expired tags may follow after it. */
  more: boolean;
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
  /** Rows per statement for a tag too large for one (DELETE_BATCH_ROWS). */
  deleteBatchRows?: number;
  /** VACUUM_AFTER_DELETED_ROWS (see vacuum-after-delete.ts). */
  vacuumAfterDeletedRows?: number;
  /** Called after every batch, whatever its outcome (tests and extra telemetry hook in here). */
  onSweep?: (outcome: SweepOutcome) => void;
}

export interface Sweeper {
  start(): void;
  /** Stops the timer and waits for a running sweep to finish. */
  stop(): Promise<void>;
  /** One batch now (after any running one), continuing where the last full page ended; never throws. */
  sweepOnce(): Promise<SweepOutcome>;
  /** Batches until every expired tag was visited once (what each timer tick does). */
  sweepCycle(): Promise<SweepOutcome[]>;
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
  // Pages through the expired tags, so tags kept or failing on one page never hide the ones after them.
  let cursor: ExpiredPosition | undefined;
  // Each kept tag is logged once per reason, not at every pass: tag -> what keeps it.
  const keptReasons = new Map<string, string>();
  let keptThisCycle = new Set<string>();

  function sweepOnce(): Promise<SweepOutcome> {
    const run = chain.then(() => sweepBatch());
    chain = run.catch(() => undefined);
    return run;
  }

  async function sweepBatch(): Promise<SweepOutcome> {
    const started = performance.now();
    let outcome: SweepOutcome;
    try {
      const turn = await sweepTurn({ pool, metrics, schema, deleteBatchRows: options.deleteBatchRows, vacuumAfterDeletedRows: options.vacuumAfterDeletedRows }, batchSize, cursor);
      cursor = turn.more ? turn.last : undefined;
      outcome = { ...turn.outcome, durationMs: 0 };
    } catch (error) {
      outcome = { status: 'failed', durationMs: 0, tags: [], deleted: emptyCounts(), rows: {}, total: 0, kept: [], failed: [], more: false, error };
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
        { tags: outcome.tags.slice(0, 100), tagCount: outcome.tags.length, deleted: outcome.rows, total: outcome.total, durationMs: outcome.durationMs },
        `tag sweep removed ${outcome.tags.length} expired tag(s), ${outcome.total} row(s)`,
      );
    }
    for (const { tag, error } of outcome.failed) {
      logger.error({ err: error, tag }, `expired tag "${tag}" could not be swept; the sweep moved on and retries it at the next pass`);
    }
    reportKept(outcome);
    try {
      onSweep?.(outcome);
    } catch (error) {
      logger.warn({ err: error }, 'onSweep hook failed');
    }
  }

  function reportKept(outcome: SweepOutcome): void {
    for (const tag of outcome.tags) keptReasons.delete(tag);
    for (const kept of outcome.kept) {
      keptThisCycle.add(kept.tag);
      const reason = JSON.stringify(kept.references.map((reference) => [reference.table, reference.constraint, reference.referencingTag, reference.rows]));
      if (keptReasons.get(kept.tag) === reason) continue;
      keptReasons.set(kept.tag, reason);
      logger.warn(
        { tag: kept.tag, references: kept.references },
        `expired tag "${kept.tag}" kept: ${describeReferences(kept)} (logged once until that changes; GET /tags/${kept.tag} shows it)`,
      );
    }
    if (outcome.status === 'swept' && !outcome.more) {
      // A full cycle ended: forget tags no longer kept, so they are logged again if they come back.
      for (const tag of keptReasons.keys()) if (!keptThisCycle.has(tag)) keptReasons.delete(tag);
      keptThisCycle = new Set();
    }
  }

  async function sweepCycle(): Promise<SweepOutcome[]> {
    const outcomes: SweepOutcome[] = [];
    let outcome: SweepOutcome;
    do {
      outcome = await sweepOnce();
      outcomes.push(outcome);
    } while (!stopping && outcome.status === 'swept' && outcome.more);
    return outcomes;
  }

  async function tick(): Promise<void> {
    await sweepCycle();
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
    sweepCycle,
  };
}

interface Turn {
  outcome: Omit<SweepOutcome, 'durationMs'>;
  more: boolean;
  last: ExpiredPosition | undefined;
}

/**
 * One page of expired tags through the removal flow, locking tags only when
 * this replica holds the sweeper lock. Referenced expired tags stay and are
 * reported: nobody asked for them, and a live tag still needs their rows. If
 * the page fails as a whole (a tag too large for STATEMENT_TIMEOUT_MS, say),
 * each tag gets its own transaction, so one bad tag cannot stop the others.
 */
async function sweepTurn(deps: RemovalDeps, batchSize: number, after: ExpiredPosition | undefined): Promise<Turn> {
  let turn = false;
  let page: { tags: string[]; last: ExpiredPosition | undefined } = { tags: [], last: undefined };
  const more = (): boolean => page.tags.length >= batchSize;
  try {
    const removal = await removeTags(deps, {
      referenced: 'keep',
      async lock(client) {
        turn = await takeTurn(client);
        if (!turn) return [];
        page = await lockExpiredTagsSkippingBusy(client, batchSize, after);
        return page.tags;
      },
    });
    const outcome: Omit<SweepOutcome, 'durationMs'> = {
      status: turn ? 'swept' : 'skipped',
      tags: removal.tags,
      deleted: removal.counts,
      rows: removal.rows,
      total: removal.total,
      kept: removal.kept,
      failed: [],
      more: more(),
    };
    await recordKept(deps.pool, removal.kept);
    return { outcome, more: more(), last: page.last };
  } catch (error) {
    if (page.tags.length === 0) throw error;
  }
  const outcome: Omit<SweepOutcome, 'durationMs'> = { status: 'swept', tags: [], deleted: emptyCounts(), rows: {}, total: 0, kept: [], failed: [], more: more() };
  for (const tag of page.tags) {
    try {
      const removal = await sweepOneTag(deps, tag);
      if (!removal) continue;
      outcome.tags.push(...removal.tags);
      addCounts(outcome.deleted, removal.counts);
      for (const [table, n] of Object.entries(removal.rows)) outcome.rows[table] = (outcome.rows[table] ?? 0) + n;
      outcome.total += removal.total;
      outcome.kept.push(...removal.kept);
      await recordKept(deps.pool, removal.kept);
    } catch (error) {
      outcome.failed.push({ tag, error });
    }
  }
  // Nothing went and every tag failed: the database itself is the problem, not a tag.
  if (outcome.tags.length === 0 && outcome.kept.length === 0 && outcome.failed.length === page.tags.length) {
    return { outcome: { ...outcome, status: 'failed', error: outcome.failed[0]?.error }, more: more(), last: page.last };
  }
  return { outcome, more: more(), last: page.last };
}

/**
 * One expired tag in its own transaction (and its own sweeper turn); one too
 * large for STATEMENT_TIMEOUT_MS goes in committed batches first, stopping if
 * a request extends the tag meanwhile. Undefined when the tag is no longer
 * this sweep's (extended, busy, or another replica's turn).
 */
async function sweepOneTag(deps: RemovalDeps, tag: string): Promise<(Pick<SweepOutcome, 'tags' | 'kept' | 'total' | 'rows'> & { counts: TableCounts }) | undefined> {
  const plan: RemovalPlan = {
    referenced: 'keep',
    async lock(client) {
      return (await takeTurn(client)) && (await lockExpiredTag(client, tag)) ? [tag] : [];
    },
  };
  let batched = emptyCounts();
  // Ledger tables' rows too (a target schema has only those).
  let batchedTotal = 0;
  let removal: Removal;
  try {
    removal = await removeTags(deps, plan);
  } catch (error) {
    if (sqlState(error) !== STATEMENT_TIMEOUT) throw error;
    // No reference check first: on a tag this large it is as slow as the delete. A row of a live
    // tag referencing one of its rows stops the batches at that table with a foreign-key error
    // (reported as this tag's failure); the rows referenced stay, and so does the tag.
    const deleted = await deleteTagInBatches(deps, tag, {
      batchRows: deps.deleteBatchRows ?? DEFAULT_DELETE_BATCH_ROWS,
      stillWanted: async (client) => (await takeTurn(client)) && lockExpiredTag(client, tag),
    });
    batched = deleted.counts;
    batchedTotal = Object.values(deleted.rows).reduce((sum, n) => sum + n, 0);
    if (!deleted.complete) return { tags: [], kept: [], total: batchedTotal, counts: batched, rows: { ...deleted.rows } };
    removal = await removeTags(deps, plan);
    for (const [table, n] of Object.entries(deleted.rows)) if (n > 0) removal.rows[table] = (removal.rows[table] ?? 0) + n;
  }
  const total = removal.total + batchedTotal;
  const rows: Record<string, number> = { ...removal.rows };
  addCounts(batched, removal.counts);
  return { tags: removal.tags, kept: removal.kept, total, counts: batched, rows };
}

const STATEMENT_TIMEOUT = '57014';

/** This replica's turn: a transaction-level advisory lock, released by COMMIT or ROLLBACK. */
async function takeTurn(client: PoolClient): Promise<boolean> {
  const lock = await client.query<{ acquired: boolean }>('SELECT pg_try_advisory_xact_lock($1::bigint) AS acquired', [SWEEPER_LOCK_KEY.toString()]);
  return lock.rows[0]?.acquired === true;
}

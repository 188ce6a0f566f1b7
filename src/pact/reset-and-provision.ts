import type { PoolClient } from 'pg';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { sqlState } from '../db/errors';
import { totalOf, type TableCounts } from '../db/tables';
import { inTransaction } from '../db/transaction';
import { AppError, conflict } from '../errors';
import type { Metrics } from '../observability/metrics';
import { tryAcquireBulkSlot } from '../provisioning/bulk-slots';
import { GraphWriter } from '../provisioning/graph-writer';
import type { AnyRecipe } from '../provisioning/scenario-recipe';
import { leaseRandomSources } from '../provisioning/seeded-random';
import { tableSpecsOf } from '../provisioning/table-specs';
import { upsertTag } from '../provisioning/tag-lease.repository';
import { uniqueValues } from '../provisioning/unique-values';
import { deleteTagsWithRows, lockTag } from '../tags/tag.repository';

export interface ResetDeps {
  config: Pick<Config, 'maxConcurrentBulk'>;
  db: Database;
  metrics: Pick<Metrics, 'rowsProvisioned' | 'rowsDeleted'>;
}

export interface ResetPlan<T> {
  tag: string;
  ttlSeconds: number;
  /** undefined: only empty the tag. */
  graph?: { recipe: AnyRecipe; params: object; overrides: object; seed: number };
  /** Reads what the answer needs from the graph's `data`, inside the transaction: a throw rolls everything back. */
  pick(data: unknown): T;
}

const RETRY_BULK_AFTER_SECONDS = 2;

function tooManyBulkRequests(max: number): AppError {
  return new AppError({
    type: 'too-many-bulk-requests',
    title: 'Too many bulk requests',
    status: 429,
    detail: `At most ${max} bulk provisioning request(s) run at once (MAX_CONCURRENT_BULK), across all replicas; retry after ${RETRY_BULK_AFTER_SECONDS} s.`,
    headers: { 'Retry-After': String(RETRY_BULK_AFTER_SECONDS) },
    extensions: { retryAfterSeconds: RETRY_BULK_AFTER_SECONDS },
  });
}

async function build(graph: NonNullable<ResetPlan<unknown>['graph']>, writer: GraphWriter): Promise<unknown> {
  const sources = leaseRandomSources(graph.seed);
  try {
    return await graph.recipe.build({ faker: sources.faker, random: sources.random, params: graph.params, overrides: graph.overrides, unique: uniqueValues(), out: writer });
  } finally {
    sources.release();
  }
}

/**
 * Empties `tag` and provisions a fresh graph into it in ONE transaction, so a
 * state's setup is idempotent: a retried or repeated setup (a verifier run
 * without teardown) replaces the graph instead of adding a second one, and a
 * failure leaves the previous graph as it was. The engine's entry runs its own
 * transaction, so this composes the engine's pieces: the tag lock (which also
 * serialises two setups of the same tag), the tag delete, the tag lease and
 * the graph writer.
 */
export async function resetAndProvision<T>(deps: ResetDeps, plan: ResetPlan<T>): Promise<{ value: T; deleted: TableCounts; counts?: TableCounts }> {
  let writer: GraphWriter | undefined;
  const work = async (client: PoolClient): Promise<{ value: T; deleted: TableCounts; counts?: TableCounts }> => {
    writer = undefined;
    const { graph } = plan;
    if (graph?.recipe.bulk && !(await tryAcquireBulkSlot(client, deps.config.maxConcurrentBulk))) throw tooManyBulkRequests(deps.config.maxConcurrentBulk);
    await lockTag(client, plan.tag);
    const deleted = await deleteTagsWithRows(client, [plan.tag]);
    if (!graph) return { value: plan.pick(undefined), deleted };
    const lease = await upsertTag(client, plan.tag, plan.ttlSeconds);
    writer = new GraphWriter({ client, specs: tableSpecsOf(deps.db.dataSource), tag: plan.tag, createdAt: lease.now });
    const data = await build(graph, writer);
    await writer.finish();
    return { value: plan.pick(data), deleted, counts: writer.counts };
  };
  let outcome: Awaited<ReturnType<typeof work>>;
  try {
    outcome = await inTransaction(deps.db.pool, work, { beforeRollback: async () => writer?.abort() });
  } catch (error) {
    if (sqlState(error) === '23503') {
      throw conflict(`Rows of another tag reference rows of ${plan.tag}, so its state could not be reset; nothing changed. Delete that tag first.`);
    }
    throw error;
  }
  if (totalOf(outcome.deleted) > 0) deps.metrics.rowsDeleted(outcome.deleted);
  if (plan.graph && outcome.counts) deps.metrics.rowsProvisioned(plan.graph.recipe.name, outcome.counts);
  return outcome;
}

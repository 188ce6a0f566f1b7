import type { PoolClient } from 'pg';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { sqlState } from '../db/errors';
import { inTransaction } from '../db/transaction';
import { conflict } from '../errors';
import { graphWriteProblem } from '../graphs/graph-errors';
import type { GraphPlan } from '../graphs/graph-plan';
import { BULK_GRAPH_ROWS, resultOf, type GraphResult } from '../graphs/graph.use-case';
import { writePlannedGraph } from '../graphs/by-table';
import type { Metrics } from '../observability/metrics';
import { tryAcquireBulkSlot } from '../provisioning/bulk-slots';
import { GraphWriter } from '../provisioning/graph-writer';
import { buildSeeded, tooManyBulkRequests, type RecipeRun } from '../provisioning/provision.use-case';
import { tableSpecsOf } from '../provisioning/table-specs';
import { upsertTag } from '../provisioning/tag-lease.repository';
import { newRequestId } from '../provisioning/unique-values';
import type { SchemaRegistry } from '../schema/schema-registry';
import { ledgerPassOf, removeLockedTags, type Deleted } from '../tags/tag-removal';
import { lockTag } from '../tags/tag.repository';

export interface ResetDeps {
  config: Pick<Config, 'maxConcurrentBulk'>;
  db: Database;
  metrics: Pick<Metrics, 'rowsProvisioned' | 'rowsDeleted'>;
  /** The modelled tables: with a target schema the tag's rows are found through the row ledger. */
  schema: SchemaRegistry;
}

/** What a setup writes: a built-in recipe's graph (the shop) or a planned graph of the graph engine (graph states, scenario files). */
export type StateWrite = { kind: 'recipe'; run: RecipeRun } | { kind: 'graph'; plan: GraphPlan };

export interface ResetPlan<T> {
  tag: string;
  ttlSeconds: number;
  /** undefined: only empty the tag. */
  write?: StateWrite;
  /**
   * Reads what the answer needs from what was written (a recipe's `data`, or
   * the graph engine's result), inside the transaction: a throw rolls
   * everything back.
   */
  pick(written: unknown): T;
}

function needsBulkSlot(write: StateWrite): boolean {
  return write.kind === 'recipe' ? write.run.recipe.bulk === true : write.plan.rows > BULK_GRAPH_ROWS;
}

/**
 * Empties `tag` and provisions a fresh graph into it in ONE transaction, so a
 * state's setup is idempotent: a retried or repeated setup (a verifier run
 * without teardown) replaces the graph instead of adding a second one, and a
 * failure leaves the previous graph as it was. The engines' entries run their
 * own transactions, so this composes their pieces: the tag lock (which also
 * serialises two setups of the same tag), the removal flow's delete (test_tag
 * rows of the shop, ledger rows of a target schema), the tag lease and the
 * recipe's or the graph engine's writer.
 */
export async function resetAndProvision<T>(deps: ResetDeps, plan: ResetPlan<T>): Promise<{ value: T; deleted: Deleted }> {
  const ledger = await ledgerPassOf(deps.schema, 'refuse');
  let writer: GraphWriter | undefined;
  const work = async (client: PoolClient): Promise<{ value: T; deleted: Deleted; counts?: Record<string, number> }> => {
    writer = undefined;
    const { write } = plan;
    if (write && needsBulkSlot(write) && !(await tryAcquireBulkSlot(client, deps.config.maxConcurrentBulk))) throw tooManyBulkRequests(deps.config.maxConcurrentBulk);
    await lockTag(client, plan.tag);
    const deleted = await removeLockedTags(client, [plan.tag], ledger);
    if (!write) return { value: plan.pick(undefined), deleted };
    const lease = await upsertTag(client, plan.tag, plan.ttlSeconds);
    if (write.kind === 'graph') {
      const result: GraphResult = resultOf(write.plan, lease.expiresAt, await writePlannedGraph(client, write.plan, newRequestId()));
      return { value: plan.pick(result), deleted };
    }
    writer = new GraphWriter({ client, specs: tableSpecsOf(deps.db.dataSource), tag: plan.tag, createdAt: lease.now });
    const data = await buildSeeded(write.run, writer);
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
    // A value PostgreSQL refused in a graph: a 409 or 422 naming its table, as POST /graphs answers.
    throw graphWriteProblem(error);
  }
  if (outcome.deleted.total > 0) deps.metrics.rowsDeleted(outcome.deleted.counts);
  if (plan.write?.kind === 'recipe' && outcome.counts) deps.metrics.rowsProvisioned(plan.write.run.recipe.name, outcome.counts);
  return { value: outcome.value, deleted: outcome.deleted };
}

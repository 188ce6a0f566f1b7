import type { Config } from '../config';
import type { Database } from '../db/database';
import { inOneStatement, inTransaction } from '../db/transaction';
import { AppError, conflict, validationError } from '../errors';
import { tryAcquireBulkSlot } from '../provisioning/bulk-slots';
import { requestHash } from '../provisioning/canonical-json';
import { claimIdempotencyKey, findIdempotencyKey, storeIdempotentReply } from '../provisioning/idempotency.repository';
import { tooManyBulkRequests } from '../provisioning/provision.use-case';
import { upsertTag } from '../provisioning/tag-lease.repository';
import { newRequestId } from '../provisioning/unique-values';
import { schemaRegistryOf } from '../schema/schema-registry';
import { graphWriteProblem, isRefusal } from './graph-errors';
import type { GraphPlan, PlanNode } from './graph-plan';
import { parseGraphRequest } from './graph-request';
import { writePlannedGraph } from './by-table';
import type { Row } from './graph-writer';
import { presetsFor, writeGraphInOneStatement } from './one-statement';

export interface GraphDeps {
  config: Pick<Config, 'maxRowsPerRequest' | 'defaultTagTtlSeconds' | 'maxConcurrentBulk' | 'targetSchemas' | 'uniqueDeclarations' | 'allowAnyEmail'>;
  db: Database;
}

export interface GraphResult {
  tag: string;
  seed: number;
  /** The clock generated times were placed by (the body's, or the request's time): send it back to repeat them. */
  clock: string;
  expiresAt: Date | string;
  counts: Record<string, number>;
  records: Record<string, Row[]>;
  aliases: Record<string, Row[]>;
}

export interface GraphReply {
  status: number;
  body: GraphResult;
  replayed: boolean;
}

/** Graphs above this many rows take a bulk slot (MAX_CONCURRENT_BULK), like bulk scenarios. */
export const BULK_GRAPH_ROWS = 10_000;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
/** What an Idempotency-Key of a graph is bound to, beside the body. */
const GRAPH_REQUEST_KIND = 'graph';

// Graphs, imports and copies answer the same 429 as the scenarios.
export { tooManyBulkRequests };

/** The answer of a written graph: counts, rows per table and the keys of each alias. */
export function resultOf(plan: GraphPlan, expiresAt: Date, written: Map<PlanNode, Row[]>): GraphResult {
  const counts: Record<string, number> = {};
  const records: Record<string, Row[]> = {};
  const aliases: Record<string, Row[]> = {};
  for (const node of plan.nodes) {
    const rows = written.get(node) ?? [];
    const label = node.table.label;
    counts[label] = (counts[label] ?? 0) + rows.length;
    // Rows come formatted by PostgreSQL (record-format.ts), bytea included: nothing to convert per value.
    // Appended in place: copying the list per node was quadratic in nodes of one table (16,000 chained employees, issue 26).
    const list = (records[label] ??= []);
    for (const row of rows) list.push(row);
    if (node.alias) aliases[node.alias] = rows.map((row) => Object.fromEntries(node.table.primaryKey.map((name) => [name, row[name]])));
  }
  return { tag: plan.tag, seed: plan.seed, clock: new Date(plan.clock).toISOString(), expiresAt, counts, records, aliases };
}

/**
 * POST /graphs: validates against the current model (nothing runs on a
 * rejected request), then writes the whole graph, its tag and its ledger rows
 * in one transaction, behind the Idempotency-Key and bulk slot like scenarios.
 */
export async function provisionGraph(deps: GraphDeps, command: { body: unknown; idempotencyKey?: string }): Promise<GraphReply> {
  const key = command.idempotencyKey;
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw validationError([{ path: 'Idempotency-Key', message: 'Idempotency-Key must be 1 to 255 visible ASCII characters' }]);
  }
  const index = await schemaRegistryOf(deps.db, deps.config).current();
  const plan = parseGraphRequest(command.body, index, { maxRows: deps.config.maxRowsPerRequest, defaultTtlSeconds: deps.config.defaultTagTtlSeconds, allowAnyEmail: deps.config.allowAnyEmail });
  const hash = key === undefined ? '' : requestHash(GRAPH_REQUEST_KIND, command.body);
  // Small graphs without an Idempotency-Key: two round trips, no explicit transaction (see one-statement.ts).
  const presets = key === undefined ? presetsFor(plan) : undefined;
  if (presets) {
    try {
      const { expiresAt, written } = await inOneStatement(deps.db.pool, (client) => writeGraphInOneStatement(client, plan, presets, newRequestId()));
      return { status: 201, body: resultOf(plan, expiresAt, written), replayed: false };
    } catch (error) {
      // A refusal inside one statement does not always say which table (a trigger's RAISE does not):
      // the node-by-node path below runs the graph again and names it (nothing of the first try was written).
      if (!isRefusal(error)) throw graphWriteProblem(error);
    }
  }
  try {
    return await inTransaction(deps.db.pool, async (client) => {
      if (key !== undefined && !(await claimIdempotencyKey(client, key, { tag: plan.tag, scenario: GRAPH_REQUEST_KIND, requestHash: hash, ttlSeconds: plan.ttlSeconds }))) {
        const stored = await findIdempotencyKey(client, key);
        if (stored && stored.scenario === GRAPH_REQUEST_KIND && stored.requestHash === hash && stored.statusCode !== null) {
          return { status: stored.statusCode, body: stored.response as GraphResult, replayed: true };
        }
        throw conflict(`Idempotency-Key "${key}" was already used with a different request; use a new key for a new request.`, [
          { path: 'Idempotency-Key', message: 'Idempotency-Key was already used with a different request' },
        ]);
      }
      if (plan.rows > BULK_GRAPH_ROWS && !(await tryAcquireBulkSlot(client, deps.config.maxConcurrentBulk))) {
        throw tooManyBulkRequests(deps.config.maxConcurrentBulk);
      }
      const lease = await upsertTag(client, plan.tag, plan.ttlSeconds);
      const written = await writePlannedGraph(client, plan, newRequestId());
      const body = resultOf(plan, lease.expiresAt, written);
      if (key !== undefined) await storeIdempotentReply(client, key, { statusCode: 201, response: body, tag: plan.tag });
      return { status: 201, body, replayed: false };
    });
  } catch (error) {
    throw graphWriteProblem(error);
  }
}

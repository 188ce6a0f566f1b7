import { randomInt } from 'node:crypto';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { sqlState } from '../db/errors';
import type { TableCounts } from '../db/tables';
import { AppError, conflict, notFound, validationError } from '../http/problem';
import type { Metrics } from '../observability/metrics';
import { findScenario, scenarioNames } from '../scenarios/registry';
import { tryAcquireBulkSlot } from './bulk-slots';
import { requestHash } from './canonical-json';
import { GraphWriter } from './graph-writer';
import { claimIdempotencyKey, findIdempotencyKey, storeIdempotentReply, type StoredReply } from './idempotency.repository';
import { MAX_SEED, validateProvisionRequest } from './request-validation';
import type { ScenarioRecipe } from './scenario-recipe';
import { createRandomSources } from './seeded-random';
import { tableSpecsOf } from './table-specs';
import { upsertTag } from './tag-lease.repository';
import { newRequestId, uniqueValues } from './unique-values';

export interface ProvisionDeps {
  config: Config;
  db: Database;
  metrics: Metrics;
}

export interface ProvisionCommand {
  scenario: string;
  /** The parsed JSON body; undefined when the request had none. */
  body: unknown;
  idempotencyKey?: string;
}

export interface ProvisionResult {
  tag: string;
  scenario: string;
  scenarioVersion: number;
  seed: number;
  expiresAt: Date | string;
  data: unknown;
  counts: TableCounts;
}

export interface ProvisionReply {
  status: number;
  body: ProvisionResult;
  /** True when an Idempotency-Key retry replayed a stored reply. */
  replayed: boolean;
}

const RETRY_BULK_AFTER_SECONDS = 2;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

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

function valueAt(body: unknown, path: string): unknown {
  let current = body;
  for (const segment of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** A unique index tripped by a value the caller chose is the caller's 409, named by its path. */
function uniqueViolation(error: unknown, recipe: ScenarioRecipe<object, object, unknown>, body: Record<string, unknown>): AppError | undefined {
  if (sqlState(error) !== '23505') return undefined;
  const constraint = (error as { constraint?: string }).constraint ?? '';
  const path = recipe.uniqueOverrides?.[constraint];
  if (path && valueAt(body, path) !== undefined) {
    return conflict(`${path} is already used by an existing row; choose another value or leave it out to get a generated one.`, [
      { path, message: `${path} already exists` },
    ]);
  }
  // Generated values embed a per-request id: a collision is astronomically rare and safe to retry.
  return conflict(`A generated unique value collided with an existing row (${constraint}); nothing was written, retry the request.`);
}

function replayOrConflict(stored: StoredReply | undefined, scenario: string, hash: string, key: string): ProvisionReply {
  if (stored && stored.scenario === scenario && stored.requestHash === hash && stored.statusCode !== null) {
    return { status: stored.statusCode, body: stored.response as ProvisionResult, replayed: true };
  }
  throw conflict(`Idempotency-Key "${key}" was already used with a different scenario or body; use a new key for a new request.`, [
    { path: 'Idempotency-Key', message: 'Idempotency-Key was already used with a different scenario or body' },
  ]);
}

/**
 * POST /scenarios/{name}: validates, then builds the recipe's graph in one
 * transaction (idempotency key first, then the tag, then the rows) and
 * commits all of it or nothing.
 */
export async function provisionScenario(deps: ProvisionDeps, command: ProvisionCommand): Promise<ProvisionReply> {
  const recipe = findScenario(command.scenario);
  if (!recipe) {
    throw notFound(`No scenario "${command.scenario}". Known scenarios: ${scenarioNames().join(', ')} (GET /scenarios lists them).`);
  }
  const { idempotencyKey: key } = command;
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw validationError([{ path: 'Idempotency-Key', message: 'Idempotency-Key must be 1 to 255 visible ASCII characters' }]);
  }
  const request = validateProvisionRequest(recipe, command.body);
  const estimate = recipe.estimateRows(request.params);
  if (estimate > deps.config.maxRowsPerRequest) {
    throw validationError([
      {
        path: 'params',
        message: `params would create up to ${estimate} rows; the limit is ${deps.config.maxRowsPerRequest} per request (MAX_ROWS_PER_REQUEST): split the request`,
      },
    ]);
  }

  const tag = request.tag ?? `t-${newRequestId()}`;
  const seed = request.seed ?? randomInt(0, MAX_SEED + 1);
  const ttlSeconds = request.ttlSeconds ?? deps.config.defaultTagTtlSeconds;
  const hash = key === undefined ? '' : requestHash(recipe.name, request.body);

  const client = await deps.db.pool.connect();
  let writer: GraphWriter | undefined;
  let connectionBroken = false;
  try {
    await client.query('BEGIN');
    if (key !== undefined && !(await claimIdempotencyKey(client, key, { tag, scenario: recipe.name, requestHash: hash, ttlSeconds }))) {
      const stored = await findIdempotencyKey(client, key);
      await client.query('ROLLBACK');
      return replayOrConflict(stored, recipe.name, hash, key);
    }
    if (recipe.bulk && !(await tryAcquireBulkSlot(client, deps.config.maxConcurrentBulk))) {
      throw tooManyBulkRequests(deps.config.maxConcurrentBulk);
    }
    const lease = await upsertTag(client, tag, ttlSeconds);
    writer = new GraphWriter({ client, specs: tableSpecsOf(deps.db.dataSource), tag, createdAt: lease.now });
    const data = await recipe.build({
      ...createRandomSources(seed),
      params: request.params,
      overrides: request.overrides,
      unique: uniqueValues(),
      out: writer,
    });
    await writer.finish();
    const body: ProvisionResult = {
      tag,
      scenario: recipe.name,
      scenarioVersion: recipe.version,
      seed,
      expiresAt: lease.expiresAt,
      data,
      counts: writer.counts,
    };
    if (key !== undefined) await storeIdempotentReply(client, key, { statusCode: 201, response: body, tag });
    await client.query('COMMIT');
    deps.metrics.rowsProvisioned(recipe.name, writer.counts);
    return { status: 201, body, replayed: false };
  } catch (error) {
    await writer?.abort();
    try {
      await client.query('ROLLBACK');
    } catch {
      connectionBroken = true;
    }
    throw uniqueViolation(error, recipe, request.body) ?? error;
  } finally {
    client.release(connectionBroken);
  }
}

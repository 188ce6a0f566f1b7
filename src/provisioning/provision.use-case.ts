import { randomInt } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { sqlState } from '../db/errors';
import { inOneStatement, inTransaction, type Queryable } from '../db/transaction';
import type { TableCounts } from '../db/tables';
import { AppError, conflict, validationError } from '../errors';
import type { Metrics } from '../observability/metrics';
import { tryAcquireBulkSlot } from './bulk-slots';
import { requestHash } from './canonical-json';
import { graphStatement, leaseOf, ONE_STATEMENT_MAX_ROWS } from './graph-statement';
import { GraphWriter } from './graph-writer';
import { claimIdempotencyKey, findIdempotencyKey, storeIdempotentReply, type StoredReply } from './idempotency.repository';
import { RecordBuffer } from './record-buffer';
import { MAX_SEED, validateProvisionRequest, type ValidRequest } from './request-validation';
import type { AnyRecipe, RecordSink } from './scenario-recipe';
import { leaseRandomSources } from './seeded-random';
import { tableSpecsOf, type TableSpecs } from './table-specs';
import { upsertTag, type TagLease } from './tag-lease.repository';
import { newRequestId, uniqueValues } from './unique-values';

export interface ProvisionDeps {
  config: Pick<Config, 'maxRowsPerRequest' | 'defaultTagTtlSeconds' | 'maxConcurrentBulk'>;
  db: Database;
  metrics: Pick<Metrics, 'rowsProvisioned'>;
}

export interface ProvisionCommand {
  /**
   * The recipe to run, resolved by the caller (the scenarios route looks it up
   * in the registry; another caller may bring a recipe of its own).
   */
  recipe: AnyRecipe;
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

interface Plan {
  recipe: AnyRecipe;
  request: ValidRequest<object, object>;
  tag: string;
  seed: number;
  ttlSeconds: number;
  key: string | undefined;
  hash: string;
  specs: TableSpecs;
}

const RETRY_BULK_AFTER_SECONDS = 2;

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** 429 with Retry-After: every bulk slot (MAX_CONCURRENT_BULK) is taken; shared by every writer that takes one. */
export function tooManyBulkRequests(max: number): AppError {
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
function uniqueViolation(error: unknown, plan: Plan): AppError | undefined {
  if (sqlState(error) !== '23505') return undefined;
  const constraint = (error as { constraint?: string }).constraint ?? '';
  const path = plan.recipe.uniqueOverrides?.[constraint];
  if (path && valueAt(plan.request.body, path) !== undefined) {
    return conflict(`${path} is already used by an existing row; choose another value or leave it out to get a generated one.`, [
      { path, message: `${path} already exists` },
    ]);
  }
  // Generated values embed a per-request id: a collision is astronomically rare and safe to retry.
  return conflict(`A generated unique value collided with an existing row (${constraint}); nothing was written, retry the request.`);
}

function replayOrConflict(stored: StoredReply | undefined, plan: Plan): ProvisionReply {
  if (stored && stored.scenario === plan.recipe.name && stored.requestHash === plan.hash && stored.statusCode !== null) {
    return { status: stored.statusCode, body: stored.response as ProvisionResult, replayed: true };
  }
  throw conflict(`Idempotency-Key "${plan.key}" was already used with a different scenario or body; use a new key for a new request.`, [
    { path: 'Idempotency-Key', message: 'Idempotency-Key was already used with a different scenario or body' },
  ]);
}

function resultOf(plan: Plan, lease: TagLease, data: unknown, counts: TableCounts): ProvisionResult {
  return { tag: plan.tag, scenario: plan.recipe.name, scenarioVersion: plan.recipe.version, seed: plan.seed, expiresAt: lease.expiresAt, data, counts };
}

/** What a recipe is run with: its validated params and overrides, and the seed of its faker and random. */
export interface RecipeRun {
  recipe: AnyRecipe;
  params: object;
  overrides: object;
  seed: number;
}

/** Runs the recipe into `out` with sources seeded by `run.seed`: the same seed, the same graph. */
export async function buildSeeded(run: RecipeRun, out: RecordSink): Promise<unknown> {
  const sources = leaseRandomSources(run.seed);
  try {
    return await run.recipe.build({ faker: sources.faker, random: sources.random, params: run.params, overrides: run.overrides, unique: uniqueValues(), out });
  } finally {
    sources.release();
  }
}

function build(plan: Plan, out: RecordSink): Promise<unknown> {
  return buildSeeded({ recipe: plan.recipe, params: plan.request.params, overrides: plan.request.overrides, seed: plan.seed }, out);
}

/**
 * One transaction: the Idempotency-Key first (a racing twin waits on it, then
 * replays), then `work`, then the reply stored with the key.
 */
async function inIdempotentTransaction(
  pool: Pool,
  plan: Plan,
  work: (client: PoolClient) => Promise<ProvisionResult>,
  beforeRollback?: () => Promise<void>,
): Promise<ProvisionReply> {
  try {
    return await inTransaction(
      pool,
      async (client) => {
        const { key } = plan;
        if (key !== undefined) {
          const claim = { tag: plan.tag, scenario: plan.recipe.name, requestHash: plan.hash, ttlSeconds: plan.ttlSeconds };
          // Not claimed: the key is another request's; nothing was written here.
          if (!(await claimIdempotencyKey(client, key, claim))) return replayOrConflict(await findIdempotencyKey(client, key), plan);
        }
        const body = await work(client);
        if (key !== undefined) await storeIdempotentReply(client, key, { statusCode: 201, response: body, tag: plan.tag });
        return { status: 201, body, replayed: false };
      },
      { beforeRollback },
    );
  } catch (error) {
    throw uniqueViolation(error, plan) ?? error;
  }
}

/**
 * A small graph: built in memory, then written with its tag in one statement
 * (one round trip, atomic by itself); inside a transaction only when an
 * Idempotency-Key must be recorded first.
 */
async function provisionSmall(deps: ProvisionDeps, plan: Plan): Promise<ProvisionReply> {
  const buffer = new RecordBuffer(plan.specs, plan.tag);
  const data = await build(plan, buffer);
  const statement = graphStatement(plan.specs, buffer.rows(), plan.tag, plan.ttlSeconds);
  const write = async (db: Queryable): Promise<ProvisionResult> => {
    const lease = leaseOf((await db.query<{ expires_at: Date; now: Date }>(statement)).rows[0]!);
    buffer.stampCreatedAt(lease.now);
    return resultOf(plan, lease, data, buffer.counts);
  };
  if (plan.key !== undefined) return inIdempotentTransaction(deps.db.pool, plan, write);
  try {
    return { status: 201, body: await inOneStatement(deps.db.pool, write), replayed: false };
  } catch (error) {
    throw uniqueViolation(error, plan) ?? error;
  }
}

/**
 * A large or bulk graph: in one transaction, the tag first, then the rows
 * written in chunks (COPY when large) while the recipe produces them.
 */
async function provisionLarge(deps: ProvisionDeps, plan: Plan): Promise<ProvisionReply> {
  let writer: GraphWriter | undefined;
  return inIdempotentTransaction(
    deps.db.pool,
    plan,
    async (client) => {
      if (plan.recipe.bulk && !(await tryAcquireBulkSlot(client, deps.config.maxConcurrentBulk))) {
        throw tooManyBulkRequests(deps.config.maxConcurrentBulk);
      }
      const lease = await upsertTag(client, plan.tag, plan.ttlSeconds);
      writer = new GraphWriter({ client, specs: plan.specs, tag: plan.tag, createdAt: lease.now });
      const data = await build(plan, writer);
      await writer.finish();
      return resultOf(plan, lease, data, writer.counts);
    },
    async () => {
      await writer?.abort();
    },
  );
}

/**
 * Provisions one graph of `command.recipe`: validates (nothing runs on a
 * rejected request), then builds the graph and writes it all or nothing.
 */
export async function provisionScenario(deps: ProvisionDeps, command: ProvisionCommand): Promise<ProvisionReply> {
  const { recipe, idempotencyKey: key } = command;
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

  const plan: Plan = {
    recipe,
    request,
    tag: request.tag ?? `t-${newRequestId()}`,
    seed: request.seed ?? randomInt(0, MAX_SEED + 1),
    ttlSeconds: request.ttlSeconds ?? deps.config.defaultTagTtlSeconds,
    key,
    hash: key === undefined ? '' : requestHash(recipe.name, request.body),
    specs: tableSpecsOf(deps.db.dataSource),
  };
  const reply = !recipe.bulk && estimate <= ONE_STATEMENT_MAX_ROWS ? await provisionSmall(deps, plan) : await provisionLarge(deps, plan);
  if (!reply.replayed) deps.metrics.rowsProvisioned(recipe.name, reply.body.counts);
  return reply;
}

import { createHash, randomInt } from 'node:crypto';
import { validationError, type FieldError } from '../errors';
import { checkSetValue } from '../graphs/set-values';
import { provisionGraph, type GraphDeps } from '../graphs/graph.use-case';
import type { Row } from '../graphs/graph-writer';
import { MAX_SEED } from '../provisioning/request-validation';
import { leaseRandomSources } from '../provisioning/seeded-random';
import { resolveGraph } from './compiled-graph';
import { resultData } from './result-paths';
import type { ScenarioDefinition } from './scenario-definition';

/**
 * POST /scenarios/{name} for a scenario file: the request envelope of the
 * built-in scenarios (tag, seed, ttlSeconds, params, overrides; Idempotency-Key),
 * params checked by the file's schema, overrides by the model; then the
 * file's graph, its templates filled in from the request's seed, goes to the
 * graph engine as a POST /graphs body would, and `result` picks `data` from
 * what it created.
 */
const BODY_KEYS = new Set(['tag', 'seed', 'ttlSeconds', 'params', 'overrides']);

export interface FileScenarioResult {
  tag: string;
  scenario: string;
  scenarioVersion: number;
  seed: number;
  expiresAt: Date | string;
  counts: Record<string, number>;
  data: Record<string, unknown>;
  records: Record<string, Row[]>;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function checkOverrides(definition: ScenarioDefinition, raw: unknown, errors: FieldError[]): Record<string, Record<string, unknown>> {
  if (raw === undefined) return {};
  if (!isObject(raw)) {
    errors.push({ path: 'overrides', message: 'overrides must be an object: alias (as) to column values' });
    return {};
  }
  const aliases = [...definition.aliases.keys()];
  for (const [alias, columns] of Object.entries(raw)) {
    const table = definition.aliases.get(alias);
    if (!table) {
      errors.push({ path: `overrides.${alias}`, message: `overrides.${alias} is not an alias of this scenario (allowed: ${aliases.join(', ') || 'none'})` });
      continue;
    }
    if (!isObject(columns)) {
      errors.push({ path: `overrides.${alias}`, message: `overrides.${alias} must be an object of column values` });
      continue;
    }
    for (const [name, value] of Object.entries(columns)) {
      const column = table.columns.find((candidate) => candidate.name === name);
      const problem = column ? checkSetValue(column, value) : `table ${table.label} has no column "${name}"`;
      if (problem) errors.push({ path: `overrides.${alias}.${name}`, message: problem });
    }
  }
  return raw as Record<string, Record<string, unknown>>;
}

/** Without a seed, a retry with the same Idempotency-Key must draw the same template values, or its body would differ. */
function seedOf(seed: unknown, idempotencyKey: string | undefined): number {
  if (seed !== undefined) return seed as number;
  if (idempotencyKey === undefined) return randomInt(0, MAX_SEED + 1);
  return createHash('sha256').update(idempotencyKey).digest().readUInt32BE(0) % (MAX_SEED + 1);
}

export async function provisionFileScenario(
  deps: GraphDeps,
  command: { definition: ScenarioDefinition; body: unknown; idempotencyKey?: string },
): Promise<{ status: number; body: FileScenarioResult; replayed: boolean }> {
  const { definition } = command;
  const body = command.body === undefined ? {} : command.body;
  if (!isObject(body)) throw validationError([{ path: 'body', message: 'body must be a JSON object' }]);
  const errors: FieldError[] = [];
  for (const key of Object.keys(body)) if (!BODY_KEYS.has(key)) errors.push({ path: key, message: `${key} is not a known field (allowed: ${[...BODY_KEYS].join(', ')})` });
  if (body.seed !== undefined && !(Number.isInteger(body.seed) && (body.seed as number) >= 0 && (body.seed as number) <= MAX_SEED)) {
    errors.push({ path: 'seed', message: `seed must be a whole number from 0 to ${MAX_SEED}` });
  }
  let params: Record<string, unknown> = {};
  if (body.params !== undefined && !isObject(body.params)) errors.push({ path: 'params', message: 'params must be an object' });
  else {
    // A copy: validation fills the defaults in.
    params = { ...(body.params as Record<string, unknown> | undefined) };
    errors.push(...definition.params.validate(params));
  }
  const overrides = checkOverrides(definition, body.overrides, errors);
  if (errors.length > 0) throw validationError(errors);

  const seed = seedOf(body.seed, command.idempotencyKey);
  const sources = leaseRandomSources(seed);
  let graph: Record<string, unknown>;
  try {
    graph = resolveGraph(definition, { params, faker: sources.faker, overrides });
  } finally {
    sources.release();
  }
  const graphBody = { graph, seed, ...(body.tag !== undefined ? { tag: body.tag } : {}), ...(body.ttlSeconds !== undefined ? { ttlSeconds: body.ttlSeconds } : {}) };
  const reply = await provisionGraph(deps, { body: graphBody, idempotencyKey: command.idempotencyKey });
  const result = reply.body;
  return {
    status: reply.status,
    replayed: reply.replayed,
    body: {
      tag: result.tag,
      scenario: definition.name,
      scenarioVersion: definition.version,
      seed: result.seed,
      expiresAt: result.expiresAt,
      counts: result.counts,
      data: resultData(definition.result, result),
      records: result.records,
    },
  };
}

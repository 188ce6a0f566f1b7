import type { DomainTable } from '../../../src/db/tables';
import { createRandomSources } from '../../../src/provisioning/seeded-random';
import type { NewRecord, RecordSink, ScenarioRecipe, StoredRecord } from '../../../src/provisioning/scenario-recipe';
import { uniqueValues } from '../../../src/provisioning/unique-values';
import { plainToInstance } from 'class-transformer';

/** A sink that keeps what a recipe emits, in order, instead of writing it: recipes run without a database. */
export class RecordingSink implements RecordSink {
  readonly rows: Array<{ table: DomainTable; record: Record<string, unknown> }> = [];
  checkpoints = 0;

  add<T extends DomainTable>(table: T, record: NewRecord<T>): StoredRecord<T> {
    const stored = { ...record, testTag: '<tag>', ...(table === 'order_items' ? {} : { createdAt: new Date('2030-01-01T00:00:00.000Z') }) };
    this.rows.push({ table, record: stored });
    return stored as unknown as StoredRecord<T>;
  }

  async checkpoint(): Promise<void> {
    this.checkpoints += 1;
  }

  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const { table } of this.rows) counts[table] = (counts[table] ?? 0) + 1;
    return counts;
  }
}

/** Runs a recipe as the engine would (DTO defaults applied), with a fixed request id so unique values are stable too. */
export async function runRecipe(
  recipe: ScenarioRecipe<object, object, unknown>,
  seed: number,
  params: Record<string, unknown> = {},
  overrides: Record<string, unknown> = {},
): Promise<{ data: unknown; sink: RecordingSink }> {
  const sink = new RecordingSink();
  const data = await recipe.build({
    ...createRandomSources(seed),
    params: plainToInstance(recipe.params, params),
    overrides: plainToInstance(recipe.overrides, overrides),
    unique: uniqueValues('goldenreq000'),
    out: sink,
  });
  return { data, sink };
}

/**
 * Replaces each uuid by `<uuid-N>`, numbered by first appearance: ids are
 * random per request, but which record points at which stays visible.
 */
export function maskUuids(value: unknown): unknown {
  const seen = new Map<string, string>();
  const json = JSON.stringify(value, (_key, field: unknown) => (field instanceof Date ? field.toISOString() : field));
  return JSON.parse(
    json.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (uuid) => {
      if (!seen.has(uuid)) seen.set(uuid, `<uuid-${seen.size + 1}>`);
      return seen.get(uuid)!;
    }),
  );
}


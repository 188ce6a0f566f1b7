import type { Config } from '../config';
import type { Database } from '../db/database';
import { introspect } from './introspect';
import { ModelIndex } from './schema-model';

/**
 * The current model of the provisioned tables, shared by the routes, the
 * graph engine and cleanup. Read once on first use (the server warms it at
 * start-up) and again on reload(); a reload swaps the model atomically, so a
 * request in flight keeps the one it started with.
 */
export interface SchemaRegistry {
  current(): Promise<ModelIndex>;
  reload(): Promise<ModelIndex>;
  /** The schemas modelled: TESTAPI_TARGET_SCHEMAS, or the shop's own schema. */
  readonly targetMode: boolean;
  /**
   * Runs `check` on every reload with the new model before it is swapped in
   * (scenario files are validated against it): a throw keeps the old model and
   * reaches the caller; the function it resolves with runs once the swap is done.
   */
  onReload(check: ReloadCheck): void;
}

export type ReloadCheck = (next: ModelIndex) => Promise<() => void>;

const registries = new WeakMap<Database, SchemaRegistry>();

/** In the shop mode testapi's own tables share the schema: they are not part of the model. */
function isOwnStateTable(_schema: string, table: string): boolean {
  return table === 'test_tags' || table.startsWith('testapi_');
}

/** One registry per database handle, whoever asks first (app, sweeper). */
export function schemaRegistryOf(db: Database, config: Pick<Config, 'targetSchemas'>): SchemaRegistry {
  let registry = registries.get(db);
  if (!registry) {
    registry = createSchemaRegistry(db, config);
    registries.set(db, registry);
  }
  return registry;
}

function createSchemaRegistry(db: Database, config: Pick<Config, 'targetSchemas'>): SchemaRegistry {
  const targetMode = config.targetSchemas.length > 0;
  let loading: Promise<ModelIndex> | undefined;
  const checks: ReloadCheck[] = [];

  const load = async (): Promise<ModelIndex> => {
    const schemas = targetMode ? config.targetSchemas : [(await db.pool.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0]!.schema];
    const model = await introspect(db.dataSource, { schemas, exclude: targetMode ? undefined : isOwnStateTable, testTagFindsRows: !targetMode });
    return new ModelIndex(model);
  };

  return {
    targetMode,
    current() {
      loading ??= load().catch((error: unknown) => {
        // A failed read (database down at start-up) is retried by the next caller.
        loading = undefined;
        throw error;
      });
      return loading;
    },
    async reload() {
      const next = await load();
      const commits: Array<() => void> = [];
      for (const check of checks) commits.push(await check(next));
      loading = Promise.resolve(next);
      for (const commit of commits) commit();
      return next;
    },
    onReload(check) {
      checks.push(check);
    },
  };
}

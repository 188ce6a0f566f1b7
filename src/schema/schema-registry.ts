import type { Config } from '../config';
import type { Database } from '../db/database';
import { fileDeclarations, mergeDeclarations } from './file-declarations';
import { introspect } from './introspect';
import { announceReload, ownStateSchema, readReloadMark, reloadChannel } from './reload-generation';
import { ModelIndex } from './schema-model';

/**
 * The current model of the provisioned tables, shared by the routes, the
 * graph engine and cleanup. Read once on first use (the server warms it at
 * start-up) and again on reload(); a reload swaps the model atomically, so a
 * request in flight keeps the one it started with. Reloads of one process run
 * one after another, so two never swap out of order.
 */
export interface SchemaRegistry {
  current(): Promise<ModelIndex>;
  /**
   * Reads the schemas again (POST /schema/reload). In target mode, once every
   * check passed, it counts and announces the reload to every process on the
   * database (reload-generation.ts) before swapping: a refused reload is
   * announced nowhere, and a failed announcement swaps nothing here either.
   */
  reload(): Promise<ModelIndex>;
  /**
   * Another process announced reload `generation`: reload here too (the same
   * checks, no announcement), unless this model was read at or after it, or no
   * model was read yet (the first current() reads the new state). True when it
   * reloaded; a throw keeps the previous model.
   */
  follow(generation: number): Promise<boolean>;
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
export function schemaRegistryOf(db: Database, config: Pick<Config, 'targetSchemas' | 'uniqueDeclarations'> & Partial<Pick<Config, 'scenariosDir'>>): SchemaRegistry {
  let registry = registries.get(db);
  if (!registry) {
    registry = createSchemaRegistry(db, config);
    registries.set(db, registry);
  }
  return registry;
}

interface Loaded {
  index: ModelIndex;
  /** The reload generation read just before the catalog (target mode). */
  generation: number | undefined;
}

function createSchemaRegistry(db: Database, config: Pick<Config, 'targetSchemas' | 'uniqueDeclarations'> & Partial<Pick<Config, 'scenariosDir'>>): SchemaRegistry {
  const targetMode = config.targetSchemas.length > 0;
  // The shop's tables change only with testapi's own migrations, which every replica applies at its start: nothing to announce.
  const stateSchema = targetMode ? ownStateSchema(db) : undefined;
  let loading: Promise<ModelIndex> | undefined;
  let generation: number | undefined;
  let turn: Promise<unknown> = Promise.resolve();
  /** A POST /schema/reload waiting for its turn: callers arriving meanwhile share it. */
  let queuedReload: Promise<ModelIndex> | undefined;
  const checks: ReloadCheck[] = [];

  const load = async (): Promise<Loaded> => {
    // Read before the catalog: a reload announced meanwhile makes this model look older than it is (one spare reload), never newer.
    const mark = stateSchema === undefined ? undefined : await readReloadMark(db.pool);
    const schemas = targetMode ? config.targetSchemas : [(await db.pool.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0]!.schema];
    const model = await introspect(db.dataSource, {
      schemas,
      exclude: targetMode ? undefined : isOwnStateTable,
      testTagFindsRows: !targetMode,
      uniqueDeclarations: mergeDeclarations(config.uniqueDeclarations, await fileDeclarations(config.scenariosDir)),
    });
    return { index: new ModelIndex(model), generation: mark?.generation };
  };

  const swap = async (announce: boolean): Promise<ModelIndex> => {
    const next = await load();
    const commits: Array<() => void> = [];
    for (const check of checks) commits.push(await check(next.index));
    const at = announce && stateSchema !== undefined ? await announceReload(db.pool, reloadChannel(stateSchema)) : next.generation;
    loading = Promise.resolve(next.index);
    generation = at;
    for (const commit of commits) commit();
    return next.index;
  };

  const oneAtATime = <T>(work: () => Promise<T>): Promise<T> => {
    const run = turn.then(work);
    turn = run.catch(() => undefined);
    return run;
  };

  return {
    targetMode,
    current() {
      if (!loading) {
        const first: Promise<ModelIndex> = load().then(
          (loaded) => {
            if (loading === first) generation = loaded.generation;
            return loaded.index;
          },
          (error: unknown) => {
            // A failed read (database down at start-up) is retried by the next caller.
            if (loading === first) loading = undefined;
            throw error;
          },
        );
        loading = first;
      }
      return loading;
    },
    reload() {
      // Concurrent reloads (every worker of a test run after one migration) share one read: a reload that has
      // not started yet will read the catalog after each caller that joined it asked, so it sees what each
      // committed before asking. One already reading may have started before a caller's migration committed:
      // that caller waits for it and shares the next one. N at once cost at most two reads, not N.
      if (queuedReload) return queuedReload;
      const queued: Promise<ModelIndex> = oneAtATime(() => {
        if (queuedReload === queued) queuedReload = undefined;
        return swap(true);
      });
      queuedReload = queued;
      // Cleared on failure too, so the next caller tries again.
      queued.catch(() => {
        if (queuedReload === queued) queuedReload = undefined;
      });
      return queued;
    },
    follow(target) {
      return oneAtATime(async () => {
        await loading?.catch(() => undefined);
        if (!loading || (generation !== undefined && generation >= target)) return false;
        await swap(false);
        return true;
      });
    },
    onReload(check) {
      checks.push(check);
    },
  };
}

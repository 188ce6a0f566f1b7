import type { Config } from './config';
import type { Database } from './db/database';
import { followReloads } from './schema/reload-follower';
import { schemaRegistryOf } from './schema/schema-registry';
import { createSweeper, type SweepOutcome, type SweeperOptions } from './tags/sweeper';

export interface BackgroundTasks {
  /** Settles once this process follows the others' schema reloads (see reload-follower.ts), within READY_TIMEOUT_MS at most. */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

export interface BackgroundHooks {
  /** Called after every sweeper batch, e.g. to record sweeper-run metrics. */
  onSweep?: (outcome: SweepOutcome) => void;
}

export interface BackgroundDeps {
  config: Pick<Config, 'tagSweepIntervalSeconds' | 'targetSchemas' | 'uniqueDeclarations' | 'deleteBatchRows' | 'vacuumAfterDeletedRows' | 'readyTimeoutMs'>;
  db: Database;
  logger: SweeperOptions['logger'];
  metrics: SweeperOptions['metrics'];
}

/**
 * Work started next to the HTTP server: the tag sweeper, and with target
 * schemas the listener that makes a POST /schema/reload on any process reload
 * this one too.
 */
export function startBackgroundTasks(deps: BackgroundDeps, hooks: BackgroundHooks = {}): BackgroundTasks {
  const sweeper = createSweeper({
    pool: deps.db.pool,
    logger: deps.logger,
    metrics: deps.metrics,
    intervalSeconds: deps.config.tagSweepIntervalSeconds,
    // The same registry as the app's (one per database handle): expired graphs' ledger rows go too.
    schema: schemaRegistryOf(deps.db, deps.config),
    deleteBatchRows: deps.config.deleteBatchRows,
    vacuumAfterDeletedRows: deps.config.vacuumAfterDeletedRows,
    onSweep: hooks.onSweep,
  });
  sweeper.start();
  const reloads = followReloads(deps);
  return {
    ready: reloads.ready,
    async stop() {
      await Promise.all([sweeper.stop(), reloads.stop()]);
    },
  };
}

import type { Config } from './config';
import type { Database } from './db/database';
import { schemaRegistryOf } from './schema/schema-registry';
import { createSweeper, type SweepOutcome, type SweeperOptions } from './tags/sweeper';

export interface BackgroundTasks {
  stop(): Promise<void>;
}

export interface BackgroundHooks {
  /** Called after every sweeper batch, e.g. to record sweeper-run metrics. */
  onSweep?: (outcome: SweepOutcome) => void;
}

export interface BackgroundDeps {
  config: Pick<Config, 'tagSweepIntervalSeconds' | 'targetSchemas' | 'deleteBatchRows' | 'vacuumAfterDeletedRows'>;
  db: Database;
  logger: SweeperOptions['logger'];
  metrics: SweeperOptions['metrics'];
}

/** Periodic work started next to the HTTP server: the tag sweeper. */
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
  return {
    async stop() {
      await sweeper.stop();
    },
  };
}

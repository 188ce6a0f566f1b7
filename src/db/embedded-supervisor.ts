import type { Logger } from '../logger';
import type { EmbeddedPostgres, EmbeddedPostgresOptions } from './embedded-postgres';

type Exit = Parameters<NonNullable<EmbeddedPostgresOptions['onUnexpectedExit']>>[0];

/** Restarts allowed within RESTART_WINDOW_MS before the service gives up and exits non-zero. */
export const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;
const ATTEMPTS_PER_RESTART = 10;
const RETRY_DELAY_MS = 300;

export interface EmbeddedSupervisor {
  /** Pass as `onUnexpectedExit` when starting the cluster. */
  onUnexpectedExit(exit: Exit): void;
  attach(cluster: EmbeddedPostgres): void;
  /** Stops watching and waits for a restart in progress (then the caller stops the cluster). */
  close(): Promise<void>;
}

/**
 * Watches the embedded PostgreSQL of `npm start`: when it dies (kill -9, OOM
 * killer, crash) the death is logged at error level and the cluster restarted
 * on the same port, so the pool reconnects by itself. Orphaned backends of a
 * killed postmaster hold its shared memory for a moment, hence the retries.
 * A cluster that keeps dying makes the service exit non-zero, for a supervisor.
 */
export function superviseEmbedded(logger: Logger, giveUp: (reason: string) => void): EmbeddedSupervisor {
  let cluster: EmbeddedPostgres | undefined;
  let closing = false;
  let restarting: Promise<void> | undefined;
  const exits: number[] = [];

  async function restart(): Promise<void> {
    for (let attempt = 1; attempt <= ATTEMPTS_PER_RESTART && !closing; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS * attempt));
      if (closing || !cluster) return;
      try {
        await cluster.start();
        logger.warn({ attempt }, 'embedded PostgreSQL restarted after an unexpected exit');
        return;
      } catch (error) {
        logger.error({ err: error, attempt }, 'restarting the embedded PostgreSQL failed');
      }
    }
    if (!closing) giveUp(`the embedded PostgreSQL could not be restarted after ${ATTEMPTS_PER_RESTART} attempts`);
  }

  return {
    onUnexpectedExit(exit) {
      if (closing) return;
      const now = Date.now();
      exits.push(now);
      while (exits.length > 0 && exits[0]! < now - RESTART_WINDOW_MS) exits.shift();
      logger.error({ code: exit.code, signal: exit.signal, output: exit.output }, 'embedded PostgreSQL exited unexpectedly; restarting it');
      if (exits.length > MAX_RESTARTS) {
        giveUp(`the embedded PostgreSQL exited ${exits.length} times within ${RESTART_WINDOW_MS / 1000} s`);
        return;
      }
      restarting = restart().finally(() => {
        restarting = undefined;
      });
    },
    attach(attached) {
      cluster = attached;
    },
    async close() {
      closing = true;
      await restarting;
    },
  };
}

import { Client, escapeIdentifier } from 'pg';
import type { Config } from '../config';
import type { Database } from '../db/database';
import type { Logger } from '../logger';
import { ownStateSchema, parseReloadPayload, readReloadMark, reloadChannel, type ReloadMark } from './reload-generation';
import { schemaRegistryOf, type SchemaRegistry } from './schema-registry';

/**
 * POST /schema/reload on one process reaches every process on the database
 * (replicas, TESTAPI_WORKERS): the one that answers counts a generation in
 * testapi's own schema and NOTIFYs in the same statement; every process
 * LISTENs on a connection of its own and reloads when it hears of a newer
 * generation than its model's.
 *
 * Why LISTEN/NOTIFY plus a counter: the notification makes the others follow
 * within milliseconds at no cost per request, but a notification sent while a
 * listener is disconnected is lost; the counter is what a process compares
 * with after every (re)connection, and every HEARTBEAT_MS, so a missed one is
 * caught up as soon as it listens again. Polling the counter alone would cost
 * a query per process per interval and lag by the interval; checking it on
 * every request would cost a query per request. While the listener is down
 * (at most RECONNECT_MAX_MS once PostgreSQL answers again) a process may
 * serve its previous model.
 */

/** First wait before reconnecting, doubled per failed attempt up to RECONNECT_MAX_MS. */
const RECONNECT_FIRST_MS = 100;
/** The longest a process stays deaf after PostgreSQL is reachable again. */
const RECONNECT_MAX_MS = 2_000;
/**
 * A connection can die without a word (a failover, a dropped NAT entry): a
 * statement on it every so often finds out, and compares the counter too.
 */
const HEARTBEAT_MS = 15_000;
/** Longest stop() waits for PostgreSQL to acknowledge the goodbye before the socket is destroyed. */
const STOP_MS = 1_000;

export interface ReloadFollowerDeps {
  config: Pick<Config, 'targetSchemas' | 'uniqueDeclarations' | 'readyTimeoutMs'>;
  db: Database;
  logger: Pick<Logger, 'info' | 'warn' | 'debug'>;
}

export interface ReloadFollower {
  /**
   * Settles once the first connection listens and has caught up, or its first
   * attempt failed (it retries in the background), and at the latest after
   * READY_TIMEOUT_MS: start-up waits for it, never longer. Never rejects.
   */
  readonly ready: Promise<void>;
  /** Closes the listening connection and stops reconnecting. */
  stop(): Promise<void>;
}

const IDLE: ReloadFollower = { ready: Promise.resolve(), stop: () => Promise.resolve() };

/** In target mode, follows the reloads of every process on the database; in the shop mode, nothing (no connection, no cost). */
export function followReloads(deps: ReloadFollowerDeps): ReloadFollower {
  const registry = schemaRegistryOf(deps.db, deps.config);
  const stateSchema = ownStateSchema(deps.db);
  if (!registry.targetMode || stateSchema === undefined) return IDLE;
  return startFollowing(deps, registry, reloadChannel(stateSchema));
}

function startFollowing(deps: ReloadFollowerDeps, registry: SchemaRegistry, channel: string): ReloadFollower {
  const { logger } = deps;
  // The pool's settings (server, credentials, search_path, timeouts), but never one of its connections.
  const poolOptions = deps.db.pool.options;
  // Its own name, so an operator tells it from the request pool in pg_stat_activity (and shutdown's cancel leaves it alone).
  const applicationName = `${poolOptions.application_name ?? 'testapi'}-reload-listener`;
  let stopped = false;
  let client: Client | undefined;
  let failures = 0;
  let everListened = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;

  let settle!: () => void;
  const ready = new Promise<void>((resolve) => {
    settle = resolve;
  });
  const readyTimer = setTimeout(() => settle(), deps.config.readyTimeoutMs);
  readyTimer.unref();
  void ready.then(() => clearTimeout(readyTimer));

  const follow = async (mark: ReloadMark, missed: boolean): Promise<void> => {
    const by = mark.by ?? 'another testapi process';
    try {
      if (!(await registry.follow(mark.generation))) return;
      logger.info(
        { generation: mark.generation, reloadedBy: mark.by, missed },
        `schema and scenario files reloaded: ${by} answered POST /schema/reload (generation ${mark.generation})${missed ? ' while this process was not listening' : ''}`,
      );
    } catch (error) {
      logger.warn(
        { err: error, generation: mark.generation, reloadedBy: mark.by },
        `${by} answered POST /schema/reload (generation ${mark.generation}), but reloading here failed: this process keeps its previous model and scenario files (tried again at the next reload, reconnection or heartbeat, every ${HEARTBEAT_MS / 1000} s): ${(error as Error).message}`,
      );
    }
  };

  const scheduleReconnect = (): void => {
    if (stopped || retryTimer) return;
    const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** failures);
    // Jitter: replicas that lost PostgreSQL together do not come back in lockstep.
    const wait = Math.round(ceiling * (0.5 + Math.random() / 2));
    failures += 1;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, wait);
    retryTimer.unref();
  };

  const connect = async (): Promise<void> => {
    if (stopped) return;
    const next = new Client({ ...poolOptions, application_name: applicationName, keepAlive: true });
    client = next;
    let lost = false;
    const drop = (error?: unknown): void => {
      if (lost) return;
      lost = true;
      clearInterval(heartbeat);
      if (client === next) client = undefined;
      // A dead socket ends at once; a live one (a heartbeat that timed out) is not waited for.
      void next.end().catch(() => undefined);
      if (stopped) return;
      // One warning per outage, not one per attempt.
      if (failures === 0) {
        logger.warn(
          { err: error },
          everListened
            ? 'the schema reload listener lost its connection: reconnecting (reloads announced meanwhile are caught up then)'
            : 'the schema reload listener could not connect: retrying (until it listens, reloads on other processes are not followed here)',
        );
      } else logger.debug({ err: error, attempts: failures }, 'the schema reload listener could not connect: retrying');
      scheduleReconnect();
      settle();
    };
    // An unheard 'error' event kills the process: a dropped connection is a reconnection, never a crash.
    next.on('error', drop);
    next.on('end', () => drop(new Error('connection ended')));
    // A notification is a hint, never the news: any role that can connect may pg_notify this channel
    // (a forged generation reloaded every process, issue 26). The stored generation, which only
    // testapi's own role updates, says whether there is anything to follow; hints that arrive while
    // it is being read share the next read.
    let reading: Promise<void> | undefined;
    let hintedAgain = false;
    const check = (): void => {
      if (reading) {
        hintedAgain = true;
        return;
      }
      reading = (async () => {
        do {
          hintedAgain = false;
          const mark = await readReloadMark(next);
          if (lost) return;
          await follow(mark, false);
        } while (hintedAgain && !lost);
      })()
        .catch((error: unknown) => logger.debug({ err: error }, 'reading the reload generation after a notification failed: the heartbeat compares it again'))
        .finally(() => {
          reading = undefined;
        });
    };
    next.on('notification', (message) => {
      if (message.channel !== channel || !parseReloadPayload(message.payload)) return;
      check();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${escapeIdentifier(channel)}`);
      // After LISTEN: a reload announced from here on is heard, one announced before is in the counter.
      const mark = await readReloadMark(next);
      if (lost) return;
      if (everListened) logger.info({ afterAttempts: failures }, 'the schema reload listener is connected again');
      everListened = true;
      failures = 0;
      await follow(mark, true);
    } catch (error) {
      drop(error);
      return;
    }
    settle();
    if (lost || stopped) return;
    heartbeat = setInterval(() => {
      readReloadMark(next).then(
        (mark) => follow(mark, true),
        (error: unknown) => drop(error),
      );
    }, HEARTBEAT_MS);
    heartbeat.unref();
  };

  void connect();

  return {
    ready,
    async stop() {
      stopped = true;
      settle();
      clearTimeout(retryTimer);
      clearInterval(heartbeat);
      const current = client;
      client = undefined;
      if (!current) return;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), STOP_MS);
      });
      const outcome = await Promise.race([current.end().then(() => 'ended' as const, () => 'ended' as const), late]);
      clearTimeout(timer);
      // A frozen PostgreSQL never acknowledges the goodbye: shutdown must not wait on it.
      if (outcome === 'late') (current as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    },
  };
}

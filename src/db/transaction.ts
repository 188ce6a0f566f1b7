import { Client, type ClientConfig, type Pool, type PoolClient } from 'pg';
import { isClientSideTimeout, sqlState } from './errors';
import { abandonment, currentRequestContext, type RequestContext } from './request-context';

/** The pool itself (one statement, its own transaction) or a transaction's client. */
export type Queryable = Pool | PoolClient;

const DEADLOCK = '40P01';
const ATTEMPTS = 3;

export interface TransactionOptions {
  /** Runs after a failure, before ROLLBACK: e.g. let an in-flight COPY settle, since nothing else may use the connection during it. */
  beforeRollback?: () => Promise<void>;
}

/**
 * Runs `work` in one transaction on one pooled connection. A deadlock victim
 * is retried (its work rolled back, so retrying is safe); any other failure
 * rolls back and propagates. The one transaction helper of provisioning and cleanup.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  return retryingDeadlocks(() => once(pool, work, { ...options, explicit: true }));
}

/**
 * Runs `work` in one REPEATABLE READ, READ ONLY transaction, once (no
 * deadlock retry: its work may have sent what it read already, e.g. an
 * export's rows). Under the request's rules like inTransaction: its
 * transaction_timeout and the cancel when the request is abandoned.
 */
export async function inReadOnlySnapshot<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return once(pool, work, { explicit: true, begin: 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' });
}

/**
 * Runs `work`, whose writes go in one statement, on one pooled connection
 * without BEGIN and COMMIT: PostgreSQL runs a lone statement as its own
 * transaction, all or nothing like inTransaction, two round trips cheaper
 * (a statement before it that writes nothing, like drawing keys from
 * sequences, stands alone as well).
 * Cancelled when the request is abandoned, like inTransaction. Unlike
 * pool.query, which closes the connection after any failed statement, a
 * statement that failed (a lock wait past lock_timeout, a statement timeout,
 * a constraint) leaves its connection in the pool: only one that stopped
 * answering is closed.
 */
export async function inOneStatement<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return retryingDeadlocks(() => once(pool, work, { explicit: false }));
}

/**
 * Runs `work` again when PostgreSQL chose it as a deadlock victim: its
 * transaction (explicit, or a lone statement's own) was rolled back, so
 * nothing of it stayed.
 */
async function retryingDeadlocks<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (sqlState(error) !== DEADLOCK || attempt >= ATTEMPTS) throw error;
    }
  }
}

/** Above the request's own deadline, so the client-side cancel normally wins; the server-side bound catches a busy event loop. */
const TRANSACTION_TIMEOUT_MARGIN_MS = 1_000;

/**
 * One round trip: BEGIN, and on PostgreSQL 17+ a transaction_timeout for the
 * time the request has left (older servers have no such setting: the SELECT
 * then yields no row and sets nothing). The version is asked of
 * current_setting, not of pg_settings: that view builds all ~350 settings per
 * call, which cost more than the rest of a small tag's DELETE (3.6 ms against
 * 0.2 ms per BEGIN, measured on Debian's PostgreSQL 15).
 */
function beginFor(context: RequestContext | undefined, begin = 'BEGIN'): string {
  if (!context) return begin;
  const remaining = Math.max(1, Math.ceil(context.deadline - Date.now()) + TRANSACTION_TIMEOUT_MARGIN_MS);
  return `${begin}; SELECT set_config('transaction_timeout', '${remaining}ms', true) WHERE current_setting('server_version_num')::int >= 170000`;
}

interface OnceOptions extends TransactionOptions {
  /** BEGIN … COMMIT around `work`; without, `work`'s one statement is its own transaction. */
  explicit: boolean;
  /** The BEGIN statement, when not a plain one. */
  begin?: string;
}

async function once<T>(pool: Pool, work: (client: PoolClient) => Promise<T>, options: OnceOptions): Promise<T> {
  const context = currentRequestContext();
  const abandoned = abandonment(context);
  if (abandoned) throw abandoned;
  const client = await pool.connect();
  let broken: Error | undefined;
  const stopWatching = context ? cancelWhenAbandoned(pool, client, context) : async () => undefined;
  try {
    if (!options.explicit) return await work(client);
    await client.query(beginFor(context, options.begin));
    const result = await work(client);
    // The client went away (or the time is up) while no statement ran: nothing was cancelled, so do not commit.
    const late = abandonment(context);
    if (late) throw late;
    await client.query('COMMIT');
    return result;
  } catch (error) {
    if (isClientSideTimeout(error)) {
      // The database stopped answering: a ROLLBACK would wait just as long.
      // Closing the connection makes PostgreSQL roll back on its side.
      broken = error as Error;
      throw error;
    }
    // A lone statement that failed was rolled back by PostgreSQL already.
    if (!options.explicit) throw abandonment(context) ?? error;
    await options.beforeRollback?.();
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      // A connection that cannot roll back must not go back to the pool.
      broken = rollbackError;
    });
    // A statement cancelled because the request was abandoned reports why, not "statement cancelled".
    throw abandonment(context) ?? error;
  } finally {
    // A cancel sent for this request must have reached PostgreSQL before the connection serves another one.
    await stopWatching();
    client.release(broken);
  }
}

/**
 * When the request is abandoned mid-transaction: cancel the running statement
 * (on a connection of its own: the pool may be exhausted), and make every
 * further statement of the transaction fail at once, so the recipe's remaining
 * work stops at its next write instead of running to the end.
 * The returned stop resolves once a cancel sent has been delivered:
 * pg_cancel_backend cancels whatever the backend runs when it arrives, so a
 * connection released before that could have the next request's statement
 * cancelled instead (a cancel arriving while the backend is idle is dropped).
 */
function cancelWhenAbandoned(pool: Pool, client: PoolClient, context: RequestContext): () => Promise<void> {
  const { signal } = context;
  const original = client.query;
  let cancelling: Promise<void> | undefined;
  const onAbort = (): void => {
    const guarded = function (this: PoolClient, ...args: unknown[]): unknown {
      const first = args[0] as { submit?: unknown } | undefined;
      // COPY streams (submittables) fail through the cancel; plain statements fail here.
      if (typeof first?.submit !== 'function' && !isTransactionEnd(first)) return Promise.reject(signal.reason as Error);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
    client.query = guarded as typeof client.query;
    cancelling = cancelBackend(pool, (client as PoolClient & { processID?: number }).processID);
  };
  if (signal.aborted) onAbort();
  else (context.whenAbandoned ??= new Set()).add(onAbort);
  return async () => {
    context.whenAbandoned?.delete(onAbort);
    await cancelling;
    if (client.query !== original) client.query = original;
  };
}

function isTransactionEnd(statement: unknown): boolean {
  return statement === 'ROLLBACK' || statement === 'COMMIT';
}

async function cancelBackend(pool: Pool, pid: number | undefined): Promise<void> {
  if (!pid) return;
  const canceller = new Client({ ...pool.options, query_timeout: 5_000 } as ClientConfig);
  canceller.on('error', () => undefined);
  try {
    await canceller.connect();
    await canceller.query('SELECT pg_cancel_backend($1)', [pid]);
  } catch {
    /* the statement ends by statement_timeout or transaction_timeout instead */
  } finally {
    await canceller.end().catch(() => undefined);
  }
}

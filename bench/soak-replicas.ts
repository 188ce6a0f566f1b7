/**
 * `npm run soak -- --replicas 3`: the soak through several service processes
 * on one database, behind a round-robin proxy on loopback, with one replica
 * killed (SIGKILL) and restarted midway. Besides the single-process checks
 * (zero leftovers, the sentinel untouched) it proves what only replicas can
 * break: every 201 graph whole (read back through another replica), an
 * Idempotency-Key honoured across replicas, and one sweeper turn at a time.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { Pool } from 'pg';
import { createDataSource } from '../src/db/data-source';
import { runMigrations } from '../src/db/migrate';
import { SWEEPER_LOCK_KEY } from '../src/tags/sweeper';
import { startThrowawayPostgres } from '../test/support/throwaway-postgres';
import { startReplica, startRoundRobinProxy, stopReplica, type Replica } from './support/replicas';
import { fingerprint, leftoversUnder, newStats, percentile, randomCall, type SoakReport, type Stats } from './soak';

export interface ReplicaSoakOptions {
  replicas: number;
  workers: number;
  seconds: number;
  databaseUrl?: string;
  /** SIGKILL one replica at mid-run and start it again (default true). */
  killMidway?: boolean;
  log?: (line: string) => void;
}

/** The single-process soak's report (but its rate), plus what only replicas can break. */
export interface ReplicaSoakReport extends Omit<SoakReport, 'requestsPerSecond'> {
  replicas: number;
  /** Unexpected answers (including any 5xx); requests cut by the kill are counted apart. */
  errors: number;
  /** Requests whose replica was killed under them (502 from the proxy): their tags are only checked for leftovers. */
  interrupted: number;
  /** Tags whose rows were read back through the proxy and matched their 201 answers exactly. */
  wholeTags: number;
  /** Idempotency-Key retries answered from the stored reply (usually by another replica). */
  replays: number;
  /** Tags left to expire (ttlSeconds 1) for the sweepers. */
  expiredTags: number;
  /**
   * Rows a killed replica's last statement wrote after the client had already
   * deleted the tag (a small graph is one statement that commits by itself,
   * and PostgreSQL runs a statement it has received even when its sender is
   * gone): found and removed by deleting every cut tag once more at the end.
   */
  lateRows: number;
  /** Expired soak tags removed per replica, from their logs. */
  sweptBy: number[];
  /** Expired tags that two sweeps claim to have removed (must be none). */
  sweptTwice: string[];
  /** Most sweeper locks held at once in any sample of pg_locks (must be ≤ 1), and samples that saw one held. */
  sweeperHoldersMax: number;
  sweeperHeldSamples: number;
  killed: boolean;
}

interface Answer {
  status: number;
  body: unknown;
  headers: Headers | undefined;
}

interface State extends Stats {
  interrupted: number;
  wholeTags: number;
  replays: number;
  expired: string[];
  /** Tags with a request cut by the kill: the killed replica's last statement may still land after the tag's DELETE. */
  cut: Set<string>;
}

function newState(): State {
  return { ...newStats(), interrupted: 0, wholeTags: 0, replays: 0, expired: [], cut: new Set() };
}

const KEY_LOW = Number(SWEEPER_LOCK_KEY & 0xffffffffn);
const KEY_HIGH = Number(SWEEPER_LOCK_KEY >> 32n);

function fail(state: State, text: string): void {
  state.errors += 1;
  if (state.failures.length < 10) state.failures.push(text);
}

async function send(state: State, base: string, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const started = performance.now();
  state.requests += 1;
  try {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    state.latencies.push(performance.now() - started);
    // The proxy's bare 502: the replica died with the request in flight.
    if (res.status === 502 && text === '') {
      state.interrupted += 1;
      return { status: 502, body: undefined, headers: res.headers };
    }
    if (res.status >= 500) state.serverErrors += 1;
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined, headers: res.headers };
  } catch (error) {
    state.interrupted += 1;
    return { status: 0, body: String(error), headers: undefined };
  }
}

function sumCounts(into: Record<string, number>, counts: Record<string, number>): void {
  for (const [table, n] of Object.entries(counts)) into[table] = (into[table] ?? 0) + n;
}

async function worker(base: string, prefix: string, index: number, deadline: number, state: State): Promise<void> {
  for (let round = 0; performance.now() < deadline; round += 1) {
    const tag = `${prefix}w${index}-${round}`;
    const expected: Record<string, number> = {};
    let certain = true;
    for (let i = 0, graphs = randomInt(1, 4); i < graphs; i += 1) {
      const { scenario, body } = randomCall(tag);
      const key = randomInt(0, 3) === 0 ? `${tag}-k${i}` : undefined;
      const first = await send(state, base, 'POST', `/scenarios/${scenario}`, body, key ? { 'Idempotency-Key': key } : {});
      if (first.status === 201) {
        state.provisioned += 1;
        sumCounts(expected, (first.body as { counts: Record<string, number> }).counts);
      } else if (first.status === 502 || first.status === 0) {
        certain = false;
      } else {
        fail(state, `POST /scenarios/${scenario} -> ${first.status} ${JSON.stringify(first.body).slice(0, 200)}`);
        certain = false;
      }
      if (key && first.status === 201) {
        // Round robin: the retry lands on another replica, which must replay the stored reply.
        const again = await send(state, base, 'POST', `/scenarios/${scenario}`, body, { 'Idempotency-Key': key });
        // Compared as values: the stored reply comes back from jsonb, whose key order differs.
        if (again.status === 201 && again.headers?.get('idempotent-replayed') === 'true' && isDeepStrictEqual(again.body, first.body)) state.replays += 1;
        else if (again.status === 502 || again.status === 0) certain = false;
        else fail(state, `Idempotency-Key retry of ${tag} -> ${again.status}, replayed=${again.headers?.get('idempotent-replayed')}`);
      }
    }
    if (certain) {
      const read = await send(state, base, 'GET', `/tags/${tag}`);
      const counts = (read.body as { counts?: Record<string, number> } | undefined)?.counts;
      const stored = Object.fromEntries(Object.entries(counts ?? {}).filter(([, n]) => n > 0));
      const wanted = Object.fromEntries(Object.entries(expected).filter(([, n]) => n > 0));
      if (read.status === 200 && JSON.stringify(Object.entries(stored).sort()) === JSON.stringify(Object.entries(wanted).sort())) state.wholeTags += 1;
      else if (read.status !== 502 && read.status !== 0) fail(state, `GET /tags/${tag} -> ${read.status}: rows ${JSON.stringify(stored)} but 201s said ${JSON.stringify(wanted)}`);
    }
    // Deleted whatever happened above (retried through a kill): whatever it left must go.
    let deleted = false;
    for (let attempt = 0; attempt < 5 && !deleted; attempt += 1) {
      const res = await send(state, base, 'DELETE', `/tags/${tag}`);
      deleted = res.status === 200;
      if (res.status === 502 || res.status === 0) certain = false;
      else if (!deleted) fail(state, `DELETE /tags/${tag} -> ${res.status}`);
    }
    if (!certain) state.cut.add(tag);
    if (deleted) state.deletedTags += 1;
    if (round % 4 === 0) {
      // Left for the sweepers: a tag that expires a second later.
      const expiring = `${prefix}x${index}-${round}`;
      const res = await send(state, base, 'POST', '/scenarios/user', { tag: expiring, ttlSeconds: 1 });
      if (res.status === 201 || res.status === 502 || res.status === 0) state.expired.push(expiring);
      else fail(state, `POST expiring ${expiring} -> ${res.status}`);
    }
  }
}

/** Samples who holds the sweeper's advisory lock, every 20 ms, until stopped. */
function watchSweeperLock(pool: Pool): { stop(): Promise<{ max: number; held: number }> } {
  let running = true;
  let max = 0;
  let held = 0;
  const loop = (async () => {
    while (running) {
      const result = await pool
        .query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1 AND objid = $2 AND objsubid = 1`, [KEY_HIGH, KEY_LOW])
        .catch(() => ({ rows: [{ n: 0 }] }));
      const n = result.rows[0]?.n ?? 0;
      max = Math.max(max, n);
      if (n > 0) held += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { max, held };
    },
  };
}

/** Expired soak tags each replica's log says it swept. */
function sweptPerReplica(replicas: Replica[], prefix: string): { sweptBy: number[]; sweptTwice: string[] } {
  const seen = new Map<string, number>();
  const sweptBy = replicas.map((replica) => {
    let count = 0;
    for (const line of replica.sweepLines) {
      const tags = (JSON.parse(line) as { tags?: string[] }).tags ?? [];
      for (const tag of tags.filter((name) => name.startsWith(prefix))) {
        count += 1;
        seen.set(tag, (seen.get(tag) ?? 0) + 1);
      }
    }
    return count;
  });
  return { sweptBy, sweptTwice: [...seen].filter(([, n]) => n > 1).map(([tag]) => tag) };
}

export async function runReplicaSoak(options: ReplicaSoakOptions): Promise<ReplicaSoakReport> {
  const log = options.log ?? (() => undefined);
  const cluster = options.databaseUrl ? undefined : await startThrowawayPostgres();
  const url = options.databaseUrl ?? cluster!.url;
  const checks = new Pool({ connectionString: url, max: 3 });
  checks.on('error', () => undefined);
  const replicas: Replica[] = [];
  const live = new Set<Replica>();
  let proxy: Awaited<ReturnType<typeof startRoundRobinProxy>> | undefined;
  try {
    // Migrate once up front: replicas starting together would queue on the migration lock anyway.
    const dataSource = createDataSource({ url, poolSize: 1, connectTimeoutMs: 10_000, statementTimeoutMs: 60_000 });
    await dataSource.initialize();
    await runMigrations(dataSource).finally(() => dataSource.destroy());

    const env = { TAG_SWEEP_INTERVAL_SECONDS: '1', DB_POOL_SIZE: String(Math.max(5, Math.ceil(options.workers / options.replicas) + 2)) };
    for (const replica of await Promise.all(Array.from({ length: options.replicas }, (_, index) => startReplica(index, url, env)))) {
      replicas.push(replica);
      live.add(replica);
    }
    proxy = await startRoundRobinProxy(() => [...live].map((replica) => replica.url));
    const base = proxy.url;

    const run = randomBytes(4).toString('hex');
    const prefix = `soak-${run}-`;
    const sentinel = `sentinel-${run}`;
    const setup = newState();
    for (const body of [{ tag: sentinel, seed: 1, params: { orders: 2 } }]) {
      const res = await send(setup, base, 'POST', '/scenarios/user-with-orders', body);
      if (res.status !== 201) throw new Error(`could not seed the sentinel tag: ${res.status}`);
    }
    const before = await fingerprint(checks, sentinel);

    log(`soak: ${options.workers} workers for ${options.seconds} s through ${base} to ${options.replicas} replicas (tags ${prefix}*)`);
    const state = newState();
    const watcher = watchSweeperLock(checks);
    const started = performance.now();
    const deadline = started + options.seconds * 1000;
    let killed = false;
    const chaos = (async () => {
      if (options.killMidway === false || options.replicas < 2) return;
      await new Promise((resolve) => setTimeout(resolve, (options.seconds * 1000) / 2));
      const victim = replicas[0]!;
      live.delete(victim);
      victim.child.kill('SIGKILL');
      await victim.exited;
      killed = true;
      log(`soak: replica 0 killed (SIGKILL) at ${Math.round(performance.now() - started)} ms; starting it again`);
      const again = await startReplica(0, url, env);
      // One history per replica slot: what the killed process swept still counts.
      again.sweepLines.unshift(...victim.sweepLines);
      live.add(again);
      replicas[0] = again;
      log(`soak: replica 0 back at ${Math.round(performance.now() - started)} ms`);
    })();
    await Promise.all(Array.from({ length: options.workers }, (_, index) => worker(base, prefix, index, deadline, state)));
    await chaos;
    // What a careful client does after a request cut by a crash: delete the tag again once the dust settled.
    let lateRows = 0;
    for (const tag of state.cut) {
      const res = await send(state, base, 'DELETE', `/tags/${tag}`);
      if (res.status === 200) lateRows += (res.body as { total: number }).total;
      else fail(state, `second DELETE /tags/${tag} -> ${res.status}`);
    }

    // The expiring tags are the sweepers' job: give them a few turns.
    for (const waitUntil = Date.now() + 15_000; Date.now() < waitUntil && (await leftoversUnder(checks, prefix)) > 0; ) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const sweeper = await watcher.stop();
    const leftovers = await leftoversUnder(checks, prefix);
    const sentinelIntact = (await fingerprint(checks, sentinel)) === before;
    await send(setup, base, 'DELETE', `/tags/${sentinel}`);
    const { sweptBy, sweptTwice } = sweptPerReplica(replicas, prefix);

    const sorted = [...state.latencies].sort((a, b) => a - b);
    const report: ReplicaSoakReport = {
      replicas: options.replicas,
      requests: state.requests,
      provisioned: state.provisioned,
      deletedTags: state.deletedTags,
      errors: state.errors,
      serverErrors: state.serverErrors,
      interrupted: state.interrupted,
      wholeTags: state.wholeTags,
      replays: state.replays,
      expiredTags: state.expired.length,
      lateRows,
      sweptBy,
      sweptTwice,
      sweeperHoldersMax: sweeper.max,
      sweeperHeldSamples: sweeper.held,
      killed,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      leftovers,
      sentinelIntact,
      failures: state.failures,
      ok:
        state.errors === 0 &&
        state.serverErrors === 0 &&
        leftovers === 0 &&
        sentinelIntact &&
        state.wholeTags > 0 &&
        sweptTwice.length === 0 &&
        sweeper.max <= 1 &&
        (options.killMidway === false || options.replicas < 2 || killed),
    };
    log(formatReplicaReport(report));
    return report;
  } finally {
    await proxy?.close();
    await Promise.all(replicas.map((replica) => stopReplica(replica)));
    await checks.end();
    await cluster?.destroy();
  }
}

export function formatReplicaReport(report: ReplicaSoakReport): string {
  return [
    `replicas      ${report.replicas}${report.killed ? ' (replica 0 killed with SIGKILL and restarted midway)' : ''}`,
    `requests      ${report.requests}, ${report.provisioned} graphs provisioned, ${report.deletedTags} tags deleted, ${report.interrupted} cut by the kill`,
    `errors        ${report.errors} (5xx: ${report.serverErrors})`,
    `whole graphs  ${report.wholeTags} tags read back equal to their 201 answers`,
    `idempotency   ${report.replays} retries replayed across replicas`,
    `sweepers      ${report.expiredTags} expiring tags; swept per replica ${report.sweptBy.join('/')}; swept twice: ${report.sweptTwice.length}; lock holders at once ≤ ${report.sweeperHoldersMax} (${report.sweeperHeldSamples} samples held)`,
    `latency       p50 ${report.p50Ms.toFixed(1)} ms, p99 ${report.p99Ms.toFixed(1)} ms`,
    `late writes   ${report.lateRows} rows of cut requests landed after their tag's DELETE (removed by a second DELETE)`,
    `leftovers     ${report.leftovers} rows under the soak's tags`,
    `sentinel tag  ${report.sentinelIntact ? 'intact' : 'CHANGED'}`,
    ...report.failures.map((failure) => `  failure: ${failure}`),
    report.ok ? 'soak: OK' : 'soak: FAILED',
  ].join('\n');
}

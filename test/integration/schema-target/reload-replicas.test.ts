import { randomBytes } from 'node:crypto';
import { startBackgroundTasks, type BackgroundTasks } from '../../../src/background';
import { createLogger } from '../../../src/logger';
import { createMetrics } from '../../../src/observability/metrics';
import { scenarioFilesOf } from '../../../src/scenario-files/scenario-set';
import { buildTestApp, type TestApp } from '../../support/app';
import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { until } from '../../support/until';
import { scenarioDir } from '../scenario-files/scenario-dir';
import { useTargetApp } from './support/target-app';

/**
 * Two replicas of one deployment: A and B are two apps on one database, each
 * with its registries, its scenario folder (the same files, as two hosts of
 * one deploy have) and its reload listener, as server.ts starts them.
 */

/** How soon another process must serve what a POST /schema/reload read (README, "Use it with your own schema"). */
const FOLLOW_BOUND_MS = 2_000;
/** Waits that check something else than the bound (warnings, clean-up): room for a loaded machine. */
const SETTLE_MS = 10_000;

interface LogLine {
  level: number;
  msg: string;
  generation?: number;
  reloadedBy?: string | null;
  missed?: boolean;
}

const ARTIST = 'name: artist-with-albums\nversion: 1\ngraph:\n  artist:\n    - as: artist\n      album: [{ count: 2 }]\nresult:\n  artist: artist[0]\n';
const TRACKS = 'name: two-tracks\nversion: 1\ngraph:\n  track: [{ count: 2 }]\n';

const filesA = scenarioDir('chinook');
const filesB = scenarioDir('chinook');
const a = useTargetApp('chinook', { TESTAPI_SCENARIOS_DIR: filesA.dir });

describe('POST /schema/reload across replicas', () => {
  const role = `reload_b_${randomBytes(4).toString('hex')}`;
  let b: TestApp;
  const logsA: LogLine[] = [];
  const logsB: LogLine[] = [];
  const followers: BackgroundTasks[] = [];

  const scenarioNames = async (app: TestApp['app']): Promise<string[]> =>
    ((await http(app).get('/scenarios').expect(200)).body.scenarios as Array<{ name: string }>).map((entry) => entry.name);
  const generation = async (): Promise<number> => Number((await a.pool.query('SELECT generation FROM testapi.testapi_reload_generation')).rows[0].generation);
  const reloadLines = (logs: LogLine[]): LogLine[] => logs.filter((line) => line.msg.startsWith('schema and scenario files reloaded'));
  const writeBoth = (name: string, text: string): void => {
    filesA.write(name, text);
    filesB.write(name, text);
  };

  beforeAll(async () => {
    // B logs in as a role of its own: a test can cut B's listening connection and keep it from coming back.
    await a.pool.query(`CREATE ROLE ${role} LOGIN SUPERUSER PASSWORD 'reload-b'`);
    const url = new URL(a.url);
    url.username = role;
    url.password = 'reload-b';
    b = await buildTestApp({ TESTAPI_TARGET_SCHEMAS: 'public', TESTAPI_SCENARIOS_DIR: filesB.dir, DB_POOL_SIZE: '3' }, url.toString());
    for (const [replica, logs] of [
      [a, logsA],
      [b, logsB],
    ] as const) {
      // As server.ts does before it listens: the scenario set read, then the listener started.
      await scenarioFilesOf(replica.db, replica.config).current();
      const logger = createLogger('debug', { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
      const follower = startBackgroundTasks({ config: replica.config, db: replica.db, logger, metrics: createMetrics() });
      followers.push(follower);
      await follower.ready;
    }
  }, 60_000);

  afterAll(async () => {
    for (const follower of followers) await follower.stop();
    await b?.close();
    await a.pool.query(`DROP ROLE IF EXISTS ${role}`);
  });

  test('When a scenario file is added and A reloads, then B offers it within 2 s (GET /scenarios, POST /scenarios/{name}, its live contract) and logs one line saying why', async () => {
    writeBoth('artist.yaml', ARTIST);
    try {
      const before = await generation();
      expect(await scenarioNames(b.app)).not.toContain('artist-with-albums');

      await http(a.app).post('/schema/reload').expect(200);
      const reloaded = Date.now();

      await until('B lists the new scenario', async () => (await scenarioNames(b.app)).includes('artist-with-albums'), FOLLOW_BOUND_MS);
      expect(Date.now() - reloaded).toBeLessThanOrEqual(FOLLOW_BOUND_MS);
      const tag = uniqueTag('reload-b');
      const res = await http(b.app).post('/scenarios/artist-with-albums').send({ tag, seed: 1 }).expect(201);
      const albums = await a.pool.query('SELECT count(*)::int AS n FROM album WHERE artist_id = $1', [res.body.data.artist.artist_id]);
      expect(albums.rows[0].n).toBe(2);
      const contract = (await http(b.app).get('/openapi.json').expect(200)).body as { paths: Record<string, unknown> };
      expect(Object.keys(contract.paths)).toContain('/scenarios/artist-with-albums');

      expect(await generation()).toBe(before + 1);
      expect(reloadLines(logsB).filter((line) => line.generation === before + 1)).toEqual([
        expect.objectContaining({ level: 30, reloadedBy: expect.stringMatching(/:\d+$/), missed: false, msg: expect.stringContaining(`answered POST /schema/reload (generation ${before + 1})`) }),
      ]);
      // The process that answered does not reload a second time on its own announcement.
      expect(reloadLines(logsA)).toEqual([]);
      await http(b.app).delete(`/tags/${tag}`).expect(200);
    } finally {
      filesA.remove('artist.yaml');
      filesB.remove('artist.yaml');
      await http(a.app).post('/schema/reload').expect(200);
      await until('B drops the scenario again', async () => !(await scenarioNames(b.app)).includes('artist-with-albums'), SETTLE_MS);
    }
  });

  test('When the target schema gains a table and A reloads, then B models it within 2 s: GET /schema, POST /graphs and the graph request of its live contract', async () => {
    await a.pool.query('CREATE TABLE public.reload_probe (id serial PRIMARY KEY, label text NOT NULL)');
    try {
      await http(a.app).post('/schema/reload').expect(200);

      await until('B models the new table', async () => ((await http(b.app).get('/schema').expect(200)).body.tables as Array<{ name: string }>).some((table) => table.name === 'reload_probe'), FOLLOW_BOUND_MS);
      const tag = uniqueTag('reload-b');
      const res = await http(b.app).post('/graphs').send({ tag, seed: 1, graph: { reload_probe: [{ count: 2 }] } }).expect(201);
      expect(res.body.counts).toEqual({ reload_probe: 2 });
      expect((await a.pool.query('SELECT count(*)::int AS n FROM public.reload_probe')).rows[0].n).toBe(2);
      const contract = (await http(b.app).get('/openapi.json').expect(200)).body as { components: { schemas: { GraphRequest: { properties: { graph: { properties: object } } } } } };
      expect(Object.keys(contract.components.schemas.GraphRequest.properties.graph.properties)).toContain('reload_probe');
      await http(b.app).delete(`/tags/${tag}`).expect(200);
    } finally {
      await a.pool.query('DROP TABLE public.reload_probe');
      await http(a.app).post('/schema/reload').expect(200);
      await until('B forgets the table again', async () => !((await http(b.app).get('/schema').expect(200)).body.tables as Array<{ name: string }>).some((table) => table.name === 'reload_probe'), SETTLE_MS);
    }
  });

  test('When A reloads with a bad scenario file, then A answers 400, nothing is announced and both keep the previous set', async () => {
    const setBefore = await scenarioNames(b.app);
    const before = await generation();
    const linesBefore = reloadLines(logsB).length;
    writeBoth('broken.yaml', 'name: broken\nversion: 1\ngraph:\n  customer:\n    - set: { emial: x@example.com }\n');
    try {
      const res = await http(a.app).post('/schema/reload').expect(400);
      expect(res.body.errors).toContainEqual({ path: 'broken.yaml:graph.customer[0].set.emial', message: expect.stringMatching(/no column "emial"/) });

      expect(await generation()).toBe(before);
      expect(await scenarioNames(a.app)).toEqual(setBefore);
      expect(await scenarioNames(b.app)).toEqual(setBefore);
    } finally {
      filesA.remove('broken.yaml');
      filesB.remove('broken.yaml');
    }
    // The next good reload is B's first since: the refused one never reached it.
    await http(a.app).post('/schema/reload').expect(200);
    await until('B follows the good reload', () => reloadLines(logsB).length > linesBefore, SETTLE_MS);
    expect(reloadLines(logsB).slice(linesBefore).map((line) => line.generation)).toEqual([before + 1]);
  });

  test('When B cannot read its own scenario files, then B keeps its previous model and set, logs a warning, and follows the next reload once they are fixed', async () => {
    const setBefore = await scenarioNames(b.app);
    filesB.write('broken.yaml', 'name: broken\nversion: 1\ngraph:\n  customers: [{}]\n');
    writeBoth('tracks.yaml', TRACKS);
    let fixed = false;
    try {
      await http(a.app).post('/schema/reload').expect(200);
      const announced = await generation();

      const warning = await until('B warns', () => logsB.find((line) => line.level === 40 && line.generation === announced), SETTLE_MS);
      expect(warning.msg).toMatch(/reloading here failed: this process keeps its previous model and scenario files/);
      expect(warning.msg).toContain('broken.yaml');
      expect(await scenarioNames(a.app)).toContain('two-tracks');
      expect(await scenarioNames(b.app)).toEqual(setBefore);
      // Still serving, on the previous set.
      await http(b.app).post('/scenarios/two-tracks').send({ seed: 1 }).expect(404);

      filesB.remove('broken.yaml');
      fixed = true;
      await http(a.app).post('/schema/reload').expect(200);
      await until('B follows once its files are fixed', async () => (await scenarioNames(b.app)).includes('two-tracks'), SETTLE_MS);
    } finally {
      if (!fixed) filesB.remove('broken.yaml');
      filesA.remove('tracks.yaml');
      filesB.remove('tracks.yaml');
      await http(a.app).post('/schema/reload').expect(200);
      await until('B drops the scenario again', async () => !(await scenarioNames(b.app)).includes('two-tracks'), SETTLE_MS);
    }
  });

  test('When another deployment on the database keeps its state in another TESTAPI_SCHEMA, then its reloads are counted there and never reach A or B', async () => {
    const other = await buildTestApp({ TESTAPI_TARGET_SCHEMAS: 'public', TESTAPI_SCHEMA: 'reload_other', DB_POOL_SIZE: '2' }, a.url, { migrate: true });
    const follower = startBackgroundTasks({ config: other.config, db: other.db, logger: createLogger('silent'), metrics: createMetrics() });
    try {
      await follower.ready;
      // Far ahead of ours: had A or B heard its announcement, they would have followed it.
      await a.pool.query('UPDATE reload_other.testapi_reload_generation SET generation = 1000');
      const before = await generation();
      const linesBefore = reloadLines(logsB).length;

      await http(other.app).post('/schema/reload').expect(200);
      await http(a.app).post('/schema/reload').expect(200);

      expect((await a.pool.query('SELECT generation FROM reload_other.testapi_reload_generation')).rows).toEqual([{ generation: '1001' }]);
      expect(await generation()).toBe(before + 1);
      // Notifications reach a listener in commit order: once B followed A's, it would have had the other's first.
      await until('B follows the reload of A', () => reloadLines(logsB).length > linesBefore, SETTLE_MS);
      expect(reloadLines(logsB).slice(linesBefore).map((line) => line.generation)).toEqual([before + 1]);
      expect(reloadLines(logsA)).toEqual([]);
    } finally {
      await follower.stop();
      await other.close();
    }
  });

  test('When the listening connection of B is terminated and a reload happens before it can reconnect, then B reconnects and catches up from the generation', async () => {
    const listener = `SELECT pid FROM pg_stat_activity WHERE usename = $1 AND application_name LIKE '%-reload-listener'`;
    const [{ pid: first }] = (await a.pool.query<{ pid: number }>(listener, [role])).rows;
    expect(first).toEqual(expect.any(Number));
    await a.pool.query(`ALTER ROLE ${role} NOLOGIN`);
    let locked = true;
    try {
      const terminated = await a.pool.query('SELECT pg_terminate_backend($1) AS done', [first]);
      expect(terminated.rows[0].done).toBe(true);
      writeBoth('artist.yaml', ARTIST);

      await http(a.app).post('/schema/reload').expect(200);
      const announced = await generation();

      // B cannot have heard it: it has no listening connection, and cannot open one.
      expect(await scenarioNames(b.app)).not.toContain('artist-with-albums');
      await until('B notices the lost connection', () => logsB.some((line) => line.level === 40 && /lost its connection/.test(line.msg)), SETTLE_MS);
      await a.pool.query(`ALTER ROLE ${role} LOGIN`);
      locked = false;
      const allowed = Date.now();

      await until('B lists the scenario reloaded while it was deaf', async () => (await scenarioNames(b.app)).includes('artist-with-albums'), FOLLOW_BOUND_MS * 2);
      // Reconnecting waits at most 2 s, then the catch-up reloads.
      expect(Date.now() - allowed).toBeLessThanOrEqual(FOLLOW_BOUND_MS * 2);
      expect(reloadLines(logsB).filter((line) => line.generation === announced)).toEqual([expect.objectContaining({ missed: true, msg: expect.stringContaining('while this process was not listening') })]);
      const again = (await a.pool.query<{ pid: number }>(listener, [role])).rows.map((row) => row.pid);
      expect(again).toHaveLength(1);
      expect(again[0]).not.toBe(first);
    } finally {
      if (locked) await a.pool.query(`ALTER ROLE ${role} LOGIN`);
      filesA.remove('artist.yaml');
      filesB.remove('artist.yaml');
      await http(a.app).post('/schema/reload').expect(200);
      await until('B drops the scenario again', async () => !(await scenarioNames(b.app)).includes('artist-with-albums'), SETTLE_MS);
    }
  });

  test('When a SELECT-only role sends five forged notifications with a far generation, then neither process reloads, and the next real reload is still followed', async () => {
    const forger = `reload_forger_${randomBytes(4).toString('hex')}`;
    await a.pool.query(`CREATE ROLE ${forger} LOGIN PASSWORD 'forger'`);
    const url = new URL(a.url);
    url.username = forger;
    url.password = 'forger';
    const { Client } = await import('pg');
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    try {
      const before = await generation();
      const linesA = reloadLines(logsA).length;
      const linesB = reloadLines(logsB).length;

      for (let index = 0; index < 5; index += 1) {
        await client.query(`SELECT pg_notify('testapi.schema_reload', json_build_object('generation', 1000000000 + ${index}, 'by', 'forged:1')::text)`);
      }
      // The same listener delivers a real announcement after the forged ones: once it is followed, the forged ones were handled.
      await http(a.app).post('/schema/reload').expect(200);
      await until('B follows the real reload', () => reloadLines(logsB).some((line) => line.generation === before + 1), SETTLE_MS);

      expect(reloadLines(logsB).slice(linesB)).toEqual([expect.objectContaining({ generation: before + 1, reloadedBy: expect.not.stringMatching(/forged/) })]);
      expect(reloadLines(logsA).slice(linesA)).toEqual([]);
      expect(await generation()).toBe(before + 1);
    } finally {
      await client.end();
      await a.pool.query(`DROP ROLE IF EXISTS ${forger}`);
    }
  });
});

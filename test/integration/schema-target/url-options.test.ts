import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { ledgerCounts, tableChecksums } from './support/target-checks';
import { useTargetApp } from './support/target-app';

/**
 * A DATABASE_URL carrying libpq options of its own, as a user on a stock
 * PostgreSQL sets JIT off (issue 24: with `?options=-c jit=off` testapi
 * failed to start, its own options having replaced the URL's search_path
 * for its state schema, or the other way round).
 */
const conduit = useTargetApp('conduit', {}, { urlOptions: '-c jit=off -c work_mem=5MB' });

describe('DATABASE_URL with ?options=-c jit=off -c work_mem=5MB, target schema', () => {
  test('When the service starts on it, then migrations ran in its own schema, its sessions carry both the URL\'s settings and its own, and a graph is provisioned and deleted', async () => {
    const { rows } = await conduit.db.pool.query<{ jit: string; work_mem: string; search_path: string; timezone: string }>(
      "SELECT current_setting('jit') AS jit, current_setting('work_mem') AS work_mem, current_setting('search_path') AS search_path, current_setting('TimeZone') AS timezone",
    );
    expect(rows[0]).toEqual({ jit: 'off', work_mem: '5MB', search_path: 'testapi', timezone: 'UTC' });
    const before = await tableChecksums(conduit.pool);
    const tag = uniqueTag('url-options');

    await http(conduit.app).post('/graphs').send({ tag, graph: { users: [{ articles: [{ count: 1 }] }] } }).expect(201);
    expect(await ledgerCounts(conduit.pool, tag)).toEqual({ users: 1, articles: 1 });
    const removed = await http(conduit.app).delete(`/tags/${tag}`).expect(200);

    expect(removed.body).toEqual({ tag, deleted: { users: 1, articles: 1 }, total: 2 });
    expect(await ledgerCounts(conduit.pool, tag)).toEqual({});
    expect(await tableChecksums(conduit.pool)).toEqual(before);
  });
});

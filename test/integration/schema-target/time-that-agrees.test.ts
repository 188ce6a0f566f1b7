import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { tableChecksums } from './support/target-checks';
import { useTargetApp } from './support/target-app';

/**
 * Time that agrees (issue 28, point 5): generated times are placed by the
 * request's clock (the body's `clock`, else the request's time): a row's
 * created time shortly before it, its other `*_at` times between the two,
 * expiry after it; two-column CHECKs hold. A pinned clock repeats every time.
 */
const saas = useTargetApp('saas');

const GRAPH = { accounts: [{ count: 2, members: [{ count: 3, time_entries: [{ count: 4 }] }], invitations: [{ count: 3 }] }] };
const MINUTE = 60_000;

interface Times {
  members: Array<{ created_at: Date; paid_at: Date | null }>;
  invitations: Array<{ created_at: Date; expires_at: Date; accepted_at: Date | null }>;
  entries: Array<{ started_at: Date; ended_at: Date; createdAt: Date; updatedAt: Date; lastEditedAt: Date | null }>;
}

async function timesOf(records: Record<string, Array<{ id: number }>>): Promise<Times> {
  const ids = (table: string): number[] => records[table]!.map((row) => Number(row.id));
  const pool = saas.pool;
  return {
    members: (await pool.query('SELECT created_at, paid_at FROM members WHERE id = ANY($1) ORDER BY id', [ids('members')])).rows,
    invitations: (await pool.query('SELECT created_at, expires_at, accepted_at FROM invitations WHERE id = ANY($1) ORDER BY id', [ids('invitations')])).rows,
    entries: (await pool.query('SELECT started_at, ended_at, "createdAt", "updatedAt", "lastEditedAt" FROM time_entries WHERE id = ANY($1) ORDER BY id', [ids('time_entries')])).rows,
  };
}

/** Each time as milliseconds after the clock, row by row: what a seed fixes whatever the clock. */
function offsets(times: Times, clock: number): number[][] {
  return [...times.members, ...times.invitations, ...times.entries].map((row) => Object.values(row).map((value) => (value === null ? NaN : (value as Date).getTime() - clock)));
}

describe('Time that agrees', () => {
  test('When GET /schema describes dated columns, then each says how its time is placed, DEFAULT now() included', async () => {
    const kinds: Record<string, { kind: string; reason: string }> = {};
    for (const name of ['invitations', 'time_entries']) {
      const res = await http(saas.app).get(`/schema?table=${name}`).expect(200);
      for (const table of res.body.tables as Array<{ name: string; columns: Array<{ name: string; generator: { kind: string; reason: string } }> }>) {
        for (const column of table.columns) kinds[`${table.name}.${column.name}`] = column.generator;
      }
    }
    expect(kinds['invitations.created_at']).toMatchObject({ kind: 'created-time', reason: expect.stringContaining('instead of DEFAULT now()') });
    expect(kinds['invitations.expires_at']).toMatchObject({ kind: 'future-time' });
    expect(kinds['invitations.accepted_at']).toMatchObject({ kind: 'null' });
    expect(kinds['time_entries.createdAt']).toMatchObject({ kind: 'created-time' });
    expect(kinds['time_entries.updatedAt']).toMatchObject({ kind: 'later-time' });
    expect(kinds['time_entries.lastEditedAt']).toMatchObject({ kind: 'later-time' });
  });

  test('When a graph is provisioned without a clock, then in PostgreSQL every row was created in the last 15 minutes, its later times fall between that and the clock, expiry after it, and both two-column CHECKs hold', async () => {
    const before = await tableChecksums(saas.pool);
    const tag = uniqueTag('saas-times');
    const sent = Date.now();

    const res = await http(saas.app).post('/graphs').send({ tag, seed: 11, graph: GRAPH }).expect(201);

    const clock = Date.parse(res.body.clock);
    expect(clock).toBeGreaterThanOrEqual(Math.floor(sent / 1000) * 1000);
    expect(clock).toBeLessThanOrEqual(Date.now());
    expect(res.body.counts).toMatchObject({ accounts: 2, members: 6, time_entries: 24, invitations: 6 });
    const times = await timesOf(res.body.records);
    const recent = (time: Date): boolean => time.getTime() <= clock && time.getTime() >= clock - 15 * MINUTE;
    expect(times.members.every((row) => recent(row.created_at) && row.paid_at === null)).toBe(true);
    expect(times.invitations.every((row) => recent(row.created_at) && row.expires_at.getTime() > clock && row.accepted_at === null)).toBe(true);
    for (const row of times.entries) {
      expect(recent(row.createdAt)).toBe(true);
      expect(row.updatedAt.getTime()).toBeGreaterThanOrEqual(row.createdAt.getTime());
      expect(row.updatedAt.getTime()).toBeLessThanOrEqual(clock);
      expect(row.lastEditedAt!.getTime()).toBeGreaterThanOrEqual(row.createdAt.getTime());
      expect(row.ended_at.getTime()).toBeGreaterThan(row.started_at.getTime());
      expect(row.ended_at.getTime() - row.started_at.getTime()).toBeLessThanOrEqual(8 * 60 * MINUTE);
    }

    await http(saas.app).delete(`/tags/${tag}`).expect(200);
    expect(await tableChecksums(saas.pool)).toEqual(before);
  });

  test('When the same seed and body are sent with one pinned clock, then every time in PostgreSQL is the same; without a clock, the same offsets from each reply\'s clock', async () => {
    const pinned = '2025-01-01T00:00:00.000Z';
    const send = async (clock?: string): Promise<{ clock: number; times: Times; tag: string }> => {
      const tag = uniqueTag('saas-clock');
      const res = await http(saas.app).post('/graphs').send({ tag, seed: 5, ...(clock ? { clock } : {}), graph: GRAPH }).expect(201);
      return { clock: Date.parse(res.body.clock), times: await timesOf(res.body.records), tag };
    };

    const first = await send(pinned);
    const second = await send(pinned);
    const unpinned = await send();

    expect(first.clock).toBe(Date.parse(pinned));
    expect(second.times).toEqual(first.times);
    expect(first.times.invitations.every((row) => row.created_at.getTime() < Date.parse(pinned) && row.expires_at.getTime() > Date.parse(pinned))).toBe(true);
    expect(offsets(unpinned.times, unpinned.clock)).toEqual(offsets(first.times, first.clock));
    for (const { tag } of [first, second, unpinned]) await http(saas.app).delete(`/tags/${tag}`).expect(200);
  });

  test('When the clock is not an RFC 3339 date-time, then a 400 names it and nothing is written', async () => {
    const before = await tableChecksums(saas.pool);
    for (const clock of ['yesterday', '2025-13-01T00:00:00Z', '2025-01-01', 1735689600, '10000-01-01T00:00:00Z']) {
      const res = await http(saas.app).post('/graphs').send({ tag: uniqueTag('saas-bad-clock'), clock, graph: GRAPH }).expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'clock', message: expect.stringContaining('RFC 3339') })]);
    }
    expect(await tableChecksums(saas.pool)).toEqual(before);
  });
});

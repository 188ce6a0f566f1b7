import { useTestApp } from '../../support/app';
import { countRowsByTag, testPool, uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { keysOf, normalise, referencesOutside, type Snapshot } from './support/snapshot-checks';

const testApp = useTestApp();

describe('Snapshots of the shop tables (test_tag columns)', () => {
  test('When a user with orders is exported and imported, then the copy carries the new tag, fresh ids and re-salted unique values, and equals the original', async () => {
    const original = uniqueTag('shop-a');
    const copy = uniqueTag('shop-b');
    await http(testApp.app).post('/scenarios/user-with-orders').send({ tag: original, params: { orders: 3, itemsPerOrder: 2 } }).expect(201);
    const snapshot = (await http(testApp.app).get(`/tags/${original}/export`).expect(200)).body as Snapshot;
    expect(snapshot.tables.every((table) => table.columns.every((column) => column.name !== 'test_tag'))).toBe(true);

    const res = await http(testApp.app).post(`/tags/${copy}/import`).send(snapshot).expect(201);

    const counts = await countRowsByTag(copy);
    expect(counts).toEqual(await countRowsByTag(original));
    expect(res.body.counts).toEqual(Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0)));
    const emails = res.body.uniqueValues['users.email'] as Record<string, string>;
    const [oldEmail, newEmail] = Object.entries(emails)[0]!;
    expect(newEmail).not.toBe(oldEmail);
    expect(newEmail.split('@')[1]).toBe(oldEmail.split('@')[1]);
    const stored = await testPool().query('SELECT email FROM users WHERE test_tag = $1', [copy]);
    expect(stored.rows).toEqual([{ email: newEmail }]);

    const imported = (await http(testApp.app).get(`/tags/${copy}/export`).expect(200)).body as Snapshot;
    for (const [table, keys] of keysOf(imported)) expect([...keys].filter((key) => keysOf(snapshot).get(table)!.has(key))).toEqual([]);
    expect(referencesOutside(imported, snapshot)).toEqual([]);
    expect(normalise(imported, res.body.uniqueValues)).toEqual(normalise(snapshot));

    await http(testApp.app).delete(`/tags/${original}`).expect(200);
    expect(await countRowsByTag(copy)).toEqual(counts);
  });

  test('When keepUniqueValues=true and the original still exists, then 409 names table and column and nothing is written', async () => {
    const original = uniqueTag('shop-k');
    await http(testApp.app).post('/scenarios/user').send({ tag: original }).expect(201);
    const snapshot = (await http(testApp.app).get(`/tags/${original}/export`).expect(200)).body as Snapshot;
    const tag = uniqueTag('shop-k2');

    const res = await http(testApp.app).post(`/tags/${tag}/import?keepUniqueValues=true`).send(snapshot).expect(409);

    expect(res.body).toMatchObject({ table: 'users', column: 'email' });
    expect(Object.values(await countRowsByTag(tag)).every((n) => n === 0)).toBe(true);
  });
});

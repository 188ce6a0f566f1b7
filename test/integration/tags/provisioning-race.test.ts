import { useTestApp } from '../../support/app';
import { countRowsByTag, testPool, totalOf, uniqueTag } from '../../support/database';
import { http } from '../../support/http';

/**
 * Provisioning and cleanup of one tag serialize on its test_tags row: whoever
 * comes second sees the first one's commit. Raced many times, no interleaving
 * may leave rows under an unregistered tag or show a client a foreign-key error.
 */
const testApp = useTestApp({ DB_POOL_SIZE: '8' });

async function isRegistered(tag: string): Promise<boolean> {
  return (await testPool().query('SELECT 1 FROM test_tags WHERE tag = $1', [tag])).rowCount === 1;
}

const ROUNDS = 15;

describe('Provisioning racing cleanup of the same tag', () => {
  test('When POST /scenarios and DELETE /tags race on one tag, then every request succeeds and no row is left without a registered tag', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const tag = uniqueTag('race');

      const [provisioned, deleted, again] = await Promise.all([
        http(testApp.app).post('/scenarios/user-with-orders').send({ tag, params: { orders: 2 } }),
        http(testApp.app).delete(`/tags/${tag}`),
        http(testApp.app).post('/scenarios/user').send({ tag }),
      ]);

      expect([provisioned.status, deleted.status, again.status]).toEqual([201, 200, 201]);
      const rows = totalOf(await countRowsByTag(tag));
      const provisionedRows = totalOf(provisioned.body.counts) + totalOf(again.body.counts);
      // The delete saw none, one or both graphs: whatever it did not delete is still there, registered.
      expect([0, totalOf(provisioned.body.counts), totalOf(again.body.counts), provisionedRows]).toContain(deleted.body.total);
      expect(rows + deleted.body.total).toBe(provisionedRows);
      if (rows > 0) expect(await isRegistered(tag)).toBe(true);
    }
  });

  test('When POST /cleanup {prefix} races provisioning under that prefix, then the same holds', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const prefix = uniqueTag('racep');
      const tags = [`${prefix}-1`, `${prefix}-2`];
      await http(testApp.app).post('/scenarios/user').send({ tag: tags[0] }).expect(201);

      const [first, cleaned, second] = await Promise.all([
        http(testApp.app).post('/scenarios/user-with-orders').send({ tag: tags[0], params: { orders: 1 } }),
        http(testApp.app).post('/cleanup').send({ prefix }),
        http(testApp.app).post('/scenarios/user').send({ tag: tags[1] }),
      ]);

      expect([first.status, cleaned.status, second.status]).toEqual([201, 200, 201]);
      for (const tag of tags) {
        if (totalOf(await countRowsByTag(tag)) > 0) expect(await isRegistered(tag)).toBe(true);
      }
    }
  });
});

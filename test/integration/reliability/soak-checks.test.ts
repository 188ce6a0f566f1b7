import { fingerprint, leftoversUnder } from '../../../bench/soak';
import { useTestApp } from '../../support/app';
import { testPool, uniqueTag } from '../../support/database';
import { http } from '../../support/http';

const testApp = useTestApp();

// The soak's verdict rests on these two checks: they must see what they claim to.
describe('The soak checks', () => {
  test('When rows remain under a prefix, then leftoversUnder counts them (and treats _ and % literally)', async () => {
    const prefix = `${uniqueTag('soakchk')}-`;
    await http(testApp.app).post('/scenarios/user').send({ tag: `${prefix}1`, params: { addresses: 2 } }).expect(201);

    const left = await leftoversUnder(testPool(), prefix);
    const wildcard = await leftoversUnder(testPool(), prefix.replace(/-/g, '_'));

    expect(left).toBe(1 + 2 + 1); // user, addresses, test_tags entry
    expect(wildcard).toBe(0);
    await http(testApp.app).delete(`/tags/${prefix}1`).expect(200);
    expect(await leftoversUnder(testPool(), prefix)).toBe(0);
  });

  test('When one column of one row of a tag changes, then its fingerprint changes', async () => {
    const tag = uniqueTag('soakchk');
    await http(testApp.app).post('/scenarios/user-with-orders').send({ tag, params: { orders: 2 } }).expect(201);
    const before = await fingerprint(testPool(), tag);

    await testPool().query(`UPDATE order_items SET quantity = quantity + 1 WHERE id = (SELECT id FROM order_items WHERE test_tag = $1 LIMIT 1)`, [tag]);

    expect(await fingerprint(testPool(), tag)).not.toBe(before);
    await http(testApp.app).delete(`/tags/${tag}`).expect(200);
  });
});

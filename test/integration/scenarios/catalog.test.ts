import { useTestApp } from '../../support/app';
import { testPool, uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { expectCountsInDatabase } from './scenario-helpers';

const testApp = useTestApp();

describe('POST /scenarios/catalog', () => {
  test('When products=30, then thirty products with unique SKUs, names, categories, prices and stock exist', async () => {
    const tag = uniqueTag('cat');

    const res = await http(testApp.app).post('/scenarios/catalog').send({ tag, params: { products: 30 } }).expect(201);

    expect(res.body.counts.products).toBe(30);
    await expectCountsInDatabase(tag, res.body.counts);
    const rows = await testPool().query(
      `SELECT count(DISTINCT sku)::int AS skus, bool_and(name <> '' AND category <> '' AND price_cents > 0 AND stock >= 0) AS complete
       FROM products WHERE test_tag = $1`,
      [tag],
    );
    expect(rows.rows[0]).toEqual({ skus: 30, complete: true });
  });

  test('When overrides.product is given, then every product takes it', async () => {
    const tag = uniqueTag('cat');

    await http(testApp.app)
      .post('/scenarios/catalog')
      .send({ tag, params: { products: 5 }, overrides: { product: { category: 'Books', priceCents: 999, stock: 0 } } })
      .expect(201);

    const rows = await testPool().query('SELECT DISTINCT category, price_cents, stock FROM products WHERE test_tag = $1', [tag]);
    expect(rows.rows).toEqual([{ category: 'Books', price_cents: 999, stock: 0 }]);
  });

  test('When a large catalog goes through COPY, then tabs, newlines and backslashes in values arrive intact', async () => {
    const tag = uniqueTag('cat');
    const category = 'Tab\there, line\nbreak, back\\slash\r, "quote", \\N';

    await http(testApp.app).post('/scenarios/catalog').send({ tag, params: { products: 1_500 }, overrides: { product: { category } } }).expect(201);

    const rows = await testPool().query('SELECT DISTINCT category FROM products WHERE test_tag = $1', [tag]);
    expect(rows.rows).toEqual([{ category }]);
  });

  test('When products=10,000 (the bound), then all are written through the bulk path and returned', async () => {
    const tag = uniqueTag('cat');

    const res = await http(testApp.app).post('/scenarios/catalog').send({ tag, params: { products: 10_000 } }).expect(201);

    expect(res.body.data.products).toHaveLength(10_000);
    await expectCountsInDatabase(tag, res.body.counts);
  });
});

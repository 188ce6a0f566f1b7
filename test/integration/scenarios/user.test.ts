import { useTestApp } from '../../support/app';
import { testPool, uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { expectCountsInDatabase, expectNothingWritten } from './scenario-helpers';

const testApp = useTestApp();

describe('POST /scenarios/user', () => {
  test('When role, status and addresses are given, then that user and its addresses exist under the tag', async () => {
    const tag = uniqueTag('user');

    const res = await http(testApp.app)
      .post('/scenarios/user')
      .send({ tag, seed: 42, params: { role: 'admin', status: 'suspended', addresses: 3 } })
      .expect(201);

    expect(res.body).toMatchObject({ tag, scenario: 'user', scenarioVersion: 1, seed: 42 });
    expect(res.body.counts).toMatchObject({ users: 1, addresses: 3, orders: 0 });
    await expectCountsInDatabase(tag, res.body.counts);
    const user = await testPool().query('SELECT * FROM users WHERE test_tag = $1', [tag]);
    expect(user.rows[0]).toMatchObject({ id: res.body.data.user.id, role: 'admin', status: 'suspended', email: res.body.data.user.email });
    const addresses = await testPool().query('SELECT user_id FROM addresses WHERE test_tag = $1', [tag]);
    expect(addresses.rows.every((row) => row.user_id === res.body.data.user.id)).toBe(true);
  });

  test('When the body is empty, then the defaults apply and a tag and a seed are generated and returned', async () => {
    const res = await http(testApp.app).post('/scenarios/user').expect(201);

    expect(res.body.tag).toMatch(/^t-[a-z0-9]{12}$/);
    expect(Number.isInteger(res.body.seed)).toBe(true);
    expect(res.body.data.user).toMatchObject({ role: 'customer', status: 'active' });
    expect(res.body.data.addresses).toHaveLength(1);
    await expectCountsInDatabase(res.body.tag, res.body.counts);
  });

  test('When a record is returned, then it carries every column camelCased as stored, without re-reading', async () => {
    const tag = uniqueTag('user');

    const res = await http(testApp.app).post('/scenarios/user').send({ tag }).expect(201);

    const stored = await testPool().query('SELECT * FROM users WHERE id = $1', [res.body.data.user.id]);
    const row = stored.rows[0];
    expect(res.body.data.user).toEqual({
      id: row.id,
      testTag: tag,
      email: row.email,
      firstName: row.first_name,
      lastName: row.last_name,
      phone: row.phone,
      role: row.role,
      status: row.status,
      createdAt: row.created_at.toISOString(),
    });
  });

  test('When the e-mail is overridden on a reserved domain, then the user has it', async () => {
    const tag = uniqueTag('user');
    const email = `ana.${tag}@example.com`;

    const res = await http(testApp.app)
      .post('/scenarios/user')
      .send({ tag, overrides: { user: { email, firstName: 'Ana', phone: '+1-202-555-0100' } } })
      .expect(201);

    expect(res.body.data.user).toMatchObject({ email, firstName: 'Ana', phone: '+1-202-555-0100' });
    const stored = await testPool().query('SELECT email, first_name FROM users WHERE test_tag = $1', [tag]);
    expect(stored.rows).toEqual([{ email, first_name: 'Ana' }]);
  });

  test('When the overridden e-mail already exists, then 409 names overrides.user.email and nothing is written', async () => {
    const email = `taken.${uniqueTag('mail')}@example.org`;
    await http(testApp.app).post('/scenarios/user').send({ overrides: { user: { email } } }).expect(201);
    const tag = uniqueTag('user');

    const res = await http(testApp.app).post('/scenarios/user').send({ tag, overrides: { user: { email } } }).expect(409);

    expect(res.body.errors).toEqual([{ path: 'overrides.user.email', message: expect.stringContaining('already exists') }]);
    await expectNothingWritten(tag);
  });

  test('When generated, then e-mails are on reserved domains and phones are fictional 555-01xx numbers', async () => {
    const res = await http(testApp.app).post('/scenarios/user').send({ seed: 7 }).expect(201);

    expect(res.body.data.user.email).toMatch(/@example\.(com|net|org)$/);
    if (res.body.data.user.phone !== null) expect(res.body.data.user.phone).toMatch(/^\+1-\d{3}-555-01\d{2}$/);
  });
});

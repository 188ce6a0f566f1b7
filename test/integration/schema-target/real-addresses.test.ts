import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { tableChecksums } from './support/target-checks';
import { useTargetApp } from './support/target-app';

/**
 * No address that reaches a real person (issue 33): in target mode an e-mail
 * given in set (a constant, a template, a choice) must be on a reserved
 * domain unless the deployment says TESTAPI_ALLOW_ANY_EMAIL=true.
 */
const guarded = useTargetApp('saas');
const allowing = useTargetApp('saas', { TESTAPI_ALLOW_ANY_EMAIL: 'true' });

describe('E-mail addresses given in set', () => {
  test('When set gives an address on a real-looking domain, as a constant or a template, then a 400 names each field and nothing is written', async () => {
    const before = await tableChecksums(guarded.pool);

    const res = await http(guarded.app)
      .post('/graphs')
      .send({ tag: uniqueTag('saas-gmail'), graph: { accounts: [{ members: [{ set: { email: 'bob@gmail.com' } }] }], invitations: [{ set: { email: { template: 'guest-{n}@mailinator.com' } } }] } })
      .expect(400);

    expect(res.body.errors).toEqual([
      { path: 'graph.accounts[0].members[0].set.email', message: expect.stringContaining('bob@gmail.com is not on a reserved domain') },
      { path: 'graph.invitations[0].set.email', message: expect.stringContaining('guest-1@mailinator.com is not on a reserved domain') },
    ]);
    expect(res.body.errors[0].message).toContain('TESTAPI_ALLOW_ANY_EMAIL=true');
    expect(await tableChecksums(guarded.pool)).toEqual(before);

    const reserved = uniqueTag('saas-reserved');
    await http(guarded.app).post('/graphs').send({ tag: reserved, graph: { accounts: [{ members: [{ set: { email: 'bob@qa.example.org' } }] }] } }).expect(201);
    await http(guarded.app).delete(`/tags/${reserved}`).expect(200);
  });

  test('When the deployment allows any address, then the address is written as given', async () => {
    const tag = uniqueTag('saas-allowed');

    const res = await http(allowing.app).post('/graphs').send({ tag, graph: { accounts: [{ members: [{ set: { email: 'bob@gmail.com' } }] }] } }).expect(201);

    const rows = await allowing.pool.query('SELECT email FROM members WHERE id = $1', [res.body.records.members[0].id]);
    expect(rows.rows).toEqual([{ email: 'bob@gmail.com' }]);
    await http(allowing.app).delete(`/tags/${tag}`).expect(200);
  });
});

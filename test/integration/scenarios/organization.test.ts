import { useTestApp } from '../../support/app';
import { testPool, uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { expectCountsInDatabase, expectNothingWritten } from './scenario-helpers';

const testApp = useTestApp();

describe('POST /scenarios/organization', () => {
  test('When members=12, then an organization with one owner and twelve members exists under the tag', async () => {
    const tag = uniqueTag('org');

    const res = await http(testApp.app).post('/scenarios/organization').send({ tag, params: { members: 12 } }).expect(201);

    expect(res.body.counts).toMatchObject({ organizations: 1, users: 13, memberships: 13 });
    await expectCountsInDatabase(tag, res.body.counts);
    expect(res.body.data.members).toHaveLength(12);
    expect(res.body.data.owner.membership.role).toBe('owner');
    const roles = await testPool().query(
      'SELECT role, count(*)::int AS n FROM memberships WHERE test_tag = $1 AND organization_id = $2 GROUP BY role',
      [tag, res.body.data.organization.id],
    );
    const byRole = Object.fromEntries(roles.rows.map((row) => [row.role, row.n]));
    expect(byRole.owner).toBe(1);
    expect((byRole.admin ?? 0) + (byRole.member ?? 0) + (byRole.viewer ?? 0)).toBe(12);
  });

  test('When the organization and owner are overridden, then they are stored as given and members mail on that domain', async () => {
    const tag = uniqueTag('org');
    const ownerEmail = `boss.${tag}@acme.test`;

    const res = await http(testApp.app)
      .post('/scenarios/organization')
      .send({ tag, params: { members: 2 }, overrides: { organization: { name: 'Acme', slug: 'acme', domain: 'acme.test' }, owner: { email: ownerEmail } } })
      .expect(201);

    expect(res.body.data.organization).toMatchObject({ name: 'Acme', slug: 'acme', domain: 'acme.test' });
    expect(res.body.data.owner.user.email).toBe(ownerEmail);
    for (const member of res.body.data.members) expect(member.user.email).toMatch(/@acme\.test$/);
    const stored = await testPool().query('SELECT name, slug, domain FROM organizations WHERE test_tag = $1', [tag]);
    expect(stored.rows).toEqual([{ name: 'Acme', slug: 'acme', domain: 'acme.test' }]);
  });

  test('When the owner e-mail already exists, then 409 names overrides.owner.email and nothing is written', async () => {
    const email = `owner.${uniqueTag('mail')}@example.net`;
    await http(testApp.app).post('/scenarios/user').send({ overrides: { user: { email } } }).expect(201);
    const tag = uniqueTag('org');

    const res = await http(testApp.app).post('/scenarios/organization').send({ tag, overrides: { owner: { email } } }).expect(409);

    expect(res.body.errors).toEqual([{ path: 'overrides.owner.email', message: expect.any(String) }]);
    await expectNothingWritten(tag);
  });
});

import fc from 'fast-check';
import type { Pool } from 'pg';
import type { QueryRunner } from 'typeorm';
import { CopySecret1764900000000 } from '../../../migrations/1764900000000-copy-secret';
import { buildTestApp } from '../../support/app';
import { uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { ledgerCounts } from '../schema-target/support/target-checks';
import { useTargetApp } from '../schema-target/support/target-app';
import { createCopySource, everyValue, leaked, PII_RULES_FILE, PII_SCHEMA, type CopySource } from './support/copy-source';

/**
 * The review of issue 25, as tests: one person holding personal data in every
 * form a copy met (columns with DEFAULT '', an array of e-mails, a jsonb
 * profile, free text, a second table's text, secrets, a birth date as text, a
 * composite), copied through a role that may only SELECT. No source value may
 * reach the target database (testapi's own schema included) or the answer.
 */
const ALYX = {
  first_name: 'Alyxandria',
  last_name: 'Liddellova',
  email: 'alyxandria.liddellova@wonderpost.example',
  phone: '+44 7700 900417',
  ssn: '078-05-1120',
  country_code: 'XQ',
  code: 'LIDDEL852X',
  emails: ['a.liddellova@rabbit-hole.example', 'alyx@tea-party.example'],
  profile: { name: 'Alyxandria Liddellova', email: 'alyx.profile@looking-glass.example', mobile: '+44 7700 900882', age: 33, newsletter: true },
  settings: { recovery: 'alyx.recovery@wonderland.example' },
  message: 'Call Alyxandria at alyxandria.liddellova@wonderpost.example',
  bio: 'Alyxandria Liddellova grew up in Oxford; write to alyx.bio@wonderpost.example or ring 07700 900761.',
  password_digest: '$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW',
  api_key: 'sk_live_4eC39HqLyjWDarjtT1zdp7dc',
  date_of_birth: '1852-05-04',
  contact: '("7 Rabbit Hole Lane",Oxfordshire-Liddell)',
};
const NOTES = [
  { amount: '99.95', details: 'Reach her at alyx.notes@wonderpost.example or +44 7700 900555 about the refund.' },
  { amount: '12.50', details: 'Card 4111 1111 1111 1111 and IBAN GB82 WEST 1234 5698 7654 32 on file; key sk_live_51HxQ2eLkdIwHu7ix.' },
];
/** Every fragment that would identify her, wherever and however printed. */
const ALYX_VALUES = [
  'Alyxandria',
  'Liddellova',
  'wonderpost',
  'rabbit-hole',
  'tea-party',
  'looking-glass',
  'wonderland',
  '7700 900',
  '7700900',
  '078-05-1120',
  'LIDDEL852X',
  'R9h/cIPz0gi',
  '4eC39HqLyjWDarjtT1zdp7dc',
  '51HxQ2eLkdIwHu7ix',
  '1852-05-04',
  'Rabbit Hole',
  'Oxfordshire',
  '4111 1111',
  'GB82',
  '5698 7654',
];

let source: CopySource;
let alyxId = 0;
const env: Record<string, string> = { TESTAPI_SOURCE_RULES: PII_RULES_FILE, MAX_ROWS_PER_REQUEST: '3000' };

/** A person with their notes in the source; returns the person's key. */
async function insertPerson(pool: Pool, person: Record<string, unknown>, notes: ReadonlyArray<{ amount: string; details: string }>): Promise<number> {
  const columns = Object.keys(person);
  const values = columns.map((name) => (name === 'profile' || name === 'settings' ? JSON.stringify(person[name]) : person[name]));
  const inserted = await pool.query<{ person_id: number }>(
    `INSERT INTO person (${columns.join(', ')}, balance, visits, active, created_at) VALUES (${columns.map((_, at) => `$${at + 1}`).join(', ')}, 1234.56, 42, true, '2024-02-29T10:11:12Z') RETURNING person_id`,
    values,
  );
  const id = inserted.rows[0]!.person_id;
  for (const note of notes) await pool.query('INSERT INTO person_note (person_id, amount, details) VALUES ($1, $2, $3)', [id, note.amount, note.details]);
  return id;
}

beforeAll(async () => {
  source = await createCopySource('chinook', PII_SCHEMA);
  alyxId = await insertPerson(source.pool, ALYX, NOTES);
  await source.pool.query(`INSERT INTO legacy_contact (contact) VALUES ('("1 Looking Glass Row",Liddellova)')`);
  env.TESTAPI_SOURCES = `staging=${source.readerUrl}`;
}, 60_000);

const target = useTargetApp('chinook', env, { prepare: (pool) => pool.query(PII_SCHEMA).then(() => undefined) });

afterAll(async () => {
  await source.close();
});

/** The tag's rows of `table` in the target, by the row ledger. */
async function copiedRows(pool: Pool, tag: string, table: string, key: string): Promise<Array<Record<string, unknown>>> {
  const result = await pool.query(
    `SELECT t.* FROM ${table} t JOIN testapi.testapi_row_ledger l ON l.tag = $1 AND l.table_name = $2 AND l.pk = jsonb_build_array(t.${key}::text) ORDER BY t.${key}`,
    [tag, `public.${table}`],
  );
  return result.rows;
}

describe('POST /tags/{tag}/copies of a person holding personal data in every form', () => {
  test('When she is copied with her notes through a SELECT-only role, then none of her values is anywhere in the target or the answer, and counts, amounts and keys are kept', async () => {
    const tag = uniqueTag('pii');

    const res = await http(target.app)
      .post(`/tags/${tag}/copies`)
      .send({ source: 'staging', root: { table: 'person', ids: [alyxId] }, children: 1, seed: 5 })
      .expect(201);

    expect(res.body.counts).toEqual({ person: 1, person_note: 2 });
    expect(await ledgerCounts(target.pool, tag)).toEqual({ person: 1, person_note: 2 });
    const everything = `${await everyValue(target.pool)}\n${res.text}`;
    expect(leaked(everything, ALYX_VALUES)).toEqual([]);

    const [person] = await copiedRows(target.pool, tag, 'person', 'person_id');
    expect(person).toMatchObject({ country_code: 'XQ', status: 'active', balance: '1234.56', visits: 42, active: true, created_at: new Date('2024-02-29T10:11:12Z') });
    // Replaced, not emptied: the copy still looks like a person.
    expect(person!.first_name).toMatch(/\w/);
    expect(person!.email).toMatch(/^[^@\s]+@[^@\s]+$/);
    expect(person!.contact).toBeNull();
    expect(person!.emails).toHaveLength(2);
    expect(Object.keys(person!.profile as object).sort()).toEqual(['age', 'email', 'mobile', 'name', 'newsletter']);
    expect(person!.profile).toMatchObject({ age: 33, newsletter: true });
    // Masked text keeps its words; the person's name, e-mail and phone are gone.
    expect(person!.bio).toMatch(/grew up in Oxford; write to \S+@\S+ or ring /);
    const notes = await copiedRows(target.pool, tag, 'person_note', 'note_id');
    expect(notes.map((note) => note.amount)).toEqual(['99.95', '12.50']);
    expect(notes.every((note) => note.person_id === person!.person_id)).toBe(true);
    expect(notes[0]!.details).toMatch(/^Reach her at \S+@\S+ or .+ about the refund\.$/);
    expect(notes[1]!.details).toMatch(/^Card .+ and IBAN .+ on file; key .+\.$/);

    expect(res.body.anonymized).toMatchObject({
      'person.first_name': 'fake',
      'person.email': 'fake',
      'person.phone': 'fake',
      'person.emails': 'fake',
      'person.profile': 'fake',
      'person.message': 'fake',
      'person.bio': 'mask',
      'person.password_digest': 'fake',
      'person.api_key': 'fake',
      'person.date_of_birth': 'fake',
      'person.contact': 'null',
      'person_note.details': 'mask',
    });
    expect(res.body.anonymized).not.toHaveProperty('person.balance');
  });

  test('When root.where filters on the SSN the copy replaces (the oracle of the review), then the first request is a 400 naming it and nothing is copied', async () => {
    const tag = uniqueTag('oracle');

    const res = await http(target.app)
      .post(`/tags/${tag}/copies`)
      .send({ source: 'staging', root: { table: 'person', sample: 1, where: { ssn: { gte: '078' } } } })
      .expect(400);

    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([{ path: 'root.where.ssn', message: expect.stringMatching(/replaced by the copy/) }]);
    expect(await ledgerCounts(target.pool, tag)).toEqual({});
  });

  test.each([
    ['{"source":"staging","root":{"table":"person","sample":1,"where":{"person_id":"abc"}}}', 'root.where.person_id'],
    ['{"source":"staging","root":{"table":"person","sample":1,"where":{"visits":{"gt":1e400}}}}', 'root.where.visits.gt'],
    ['{"source":"staging","root":{"table":"person","sample":1,"where":{"balance":{"in":[1,"x"]}}}}', 'root.where.balance.in'],
    ['{"source":"staging","root":{"table":"person","sample":1,"where":{"created_at":{"lt":"yesterday"}}}}', 'root.where.created_at.lt'],
    ['{"source":"staging","root":{"table":"person","sample":1,"where":{"status":"gone"}}}', 'root.where.status'],
    ['{"source":"staging","root":{"table":"person","sample":1,"where":{"active":"yes"}}}', 'root.where.active'],
    ['{"source":"staging","root":{"table":"person","sample":1,"where":{"email":"x","bio":{"eq":"y"}}}}', 'root.where.bio'],
    ['{"source":"staging","root":{"table":"person","ids":["abc"]}}', 'root.ids'],
    ['{"source":"staging","root":{"table":"person","ids":[99999999999]}}', 'root.ids'],
  ])('When the body is %s, then 400 names %s and nothing is copied', async (body, path) => {
    const tag = uniqueTag('typed');

    const res = await http(target.app).post(`/tags/${tag}/copies`).set('Content-Type', 'application/json').send(body).expect(400);

    expect(res.body.errors.map((error: { path: string }) => error.path)).toContain(path);
    expect(await ledgerCounts(target.pool, tag)).toEqual({});
  });

  test('When root.where filters on kept columns (configured keep, numbers, enums, dates), then it selects her', async () => {
    const tag = uniqueTag('kept-filter');

    const res = await http(target.app)
      .post(`/tags/${tag}/copies`)
      .send({ source: 'staging', root: { table: 'person', sample: 5, where: { country_code: 'XQ', visits: { gte: 40 }, status: ['active'], created_at: { lt: '2025-01-01' }, active: true } } })
      .expect(201);

    expect(res.body.counts).toEqual({ person: 1 });
    expect(await ledgerCounts(target.pool, tag)).toEqual({ person: 1 });
  });

  test('When a NOT NULL column can be neither faked nor emptied (a composite), then the copy is a 422 naming it and nothing is read or written', async () => {
    const tag = uniqueTag('composite');

    const res = await http(target.app).post(`/tags/${tag}/copies`).send({ source: 'staging', root: { table: 'legacy_contact', sample: 1 } }).expect(422);

    expect(res.body.type).toMatch(/copy-column-unwritable$/);
    expect(res.body.detail).toMatch(/legacy_contact\.contact .*TESTAPI_SOURCE_RULES/);
    expect(res.text).not.toMatch(/Looking Glass|Liddellova/);
    expect(await ledgerCounts(target.pool, tag)).toEqual({});
  });

  test('When the rules of a source are read, then every column of every table shows the rule that applies and why', async () => {
    const res = await http(target.app).get('/sources/staging/rules').expect(200);

    const rule = (table: string, column: string) =>
      res.body.tables.find((t: { table: string }) => t.table === table).columns.find((c: { name: string }) => c.name === column);
    expect(res.body.source).toBe('staging');
    expect(res.body.tables.find((t: { table: string }) => t.table === 'person').columns).toHaveLength(22);
    expect(rule('person', 'first_name')).toMatchObject({ rule: 'fake', kind: 'first-name', filterable: false, reason: expect.stringMatching(/name/) });
    expect(rule('person', 'email')).toMatchObject({ rule: 'fake', kind: 'email', filterable: false });
    expect(rule('person', 'ssn')).toMatchObject({ rule: 'fake', kind: 'national-id', filterable: false });
    expect(rule('person', 'password_digest')).toMatchObject({ rule: 'fake', kind: 'secret', reason: expect.stringMatching(/secret/) });
    expect(rule('person', 'api_key')).toMatchObject({ rule: 'fake', kind: 'secret' });
    expect(rule('person', 'date_of_birth')).toMatchObject({ rule: 'fake', kind: 'birth-date' });
    expect(rule('person', 'message')).toMatchObject({ rule: 'fake', reason: expect.stringMatching(/text/) });
    expect(rule('person', 'profile')).toMatchObject({ rule: 'fake', reason: expect.stringMatching(/json/) });
    expect(rule('person', 'contact')).toMatchObject({ rule: 'null', reason: expect.stringMatching(/composite/) });
    expect(rule('person', 'bio')).toMatchObject({ rule: 'mask', reason: expect.stringMatching(/TESTAPI_SOURCE_RULES/) });
    expect(rule('person', 'country_code')).toMatchObject({ rule: 'keep', filterable: true, reason: expect.stringMatching(/TESTAPI_SOURCE_RULES/) });
    expect(rule('person', 'person_id')).toMatchObject({ rule: 'keep', filterable: true, reason: expect.stringMatching(/key/) });
    expect(rule('person', 'balance')).toMatchObject({ rule: 'keep', filterable: true });
    expect(rule('person', 'status')).toMatchObject({ rule: 'keep', filterable: true, reason: expect.stringMatching(/enum/) });
    expect(rule('person', 'created_at')).toMatchObject({ rule: 'keep', filterable: true });
    expect(rule('person_note', 'person_id')).toMatchObject({ rule: 'keep', reason: expect.stringMatching(/foreign key/) });
    expect(rule('person_note', 'details')).toMatchObject({ rule: 'mask' });
    expect(rule('customer', 'company')).toMatchObject({ rule: 'fake' });

    const unknown = await http(target.app).get('/sources/nosuch/rules').expect(404);
    expect(unknown.body.detail).toMatch(/TESTAPI_SOURCES/);
  });

  test('When the copy secret is not configured, then one is generated into testapi\'s own schema, shared by a replica, and another secret gives other fakes for the same seed', async () => {
    const body = { source: 'staging', root: { table: 'person', ids: [alyxId] }, seed: 11 };
    const emailOf = async (app: typeof target.app): Promise<string> => {
      const res = await http(app).post(`/tags/${uniqueTag('secret')}/copies`).send(body).expect(201);
      const [person] = await copiedRows(target.pool, res.body.tag, 'person', 'person_id');
      return `${person!.first_name as string} ${person!.email as string}`;
    };

    const first = await emailOf(target.app);
    const stored = await target.pool.query<{ n: number; bytes: number }>('SELECT count(*)::int AS n, max(octet_length(secret))::int AS bytes FROM testapi.testapi_copy_secret');
    expect(stored.rows).toEqual([{ n: 1, bytes: 32 }]);
    expect(await emailOf(target.app)).toBe(first);

    const replica = await buildTestApp({ TESTAPI_SOURCES: env.TESTAPI_SOURCES!, TESTAPI_TARGET_SCHEMAS: 'public', TESTAPI_SOURCE_RULES: PII_RULES_FILE }, target.url);
    const otherSecret = await buildTestApp(
      { TESTAPI_SOURCES: env.TESTAPI_SOURCES!, TESTAPI_TARGET_SCHEMAS: 'public', TESTAPI_SOURCE_RULES: PII_RULES_FILE, TESTAPI_COPY_SECRET: 'x'.repeat(40) },
      target.url,
    );
    try {
      expect(await emailOf(replica.app)).toBe(first);
      const keyedElsewhere = await emailOf(otherSecret.app);
      expect(keyedElsewhere).not.toBe(first);
      expect(await emailOf(otherSecret.app)).toBe(keyedElsewhere);
    } finally {
      await replica.close();
      await otherSecret.close();
    }
    expect((await target.pool.query('SELECT count(*)::int AS n FROM testapi.testapi_copy_secret')).rows).toEqual([{ n: 1 }]);
  });
});

/** One personal value and the fragments of it that must never reach the target. */
interface Pii {
  value: string;
  fragments: string[];
}

const word = (min: number, max: number) => fc.stringMatching(new RegExp(`^[a-z]{${min},${max}}$`));
const digits = (count: number) => fc.stringMatching(new RegExp(`^[0-9]{${count}}$`));
const name = word(8, 11).map((letters) => `Zq${letters}`);
const emailPii = fc.tuple(word(8, 12), word(6, 9)).map(([local, domain]): Pii => ({ value: `${local}@${domain}.example`, fragments: [local, `${domain}.example`] }));
const phonePii = fc
  .tuple(digits(6), fc.constantFrom('+44 7700 9', '(0)7700 9', '+1 555 01'))
  .map(([tail, prefix]): Pii => ({ value: `${prefix}${tail.slice(0, 2)} ${tail.slice(2)}`, fragments: [`${prefix}${tail.slice(0, 2)} ${tail.slice(2)}`] }));
const cardPii = fc
  .tuple(digits(15), fc.constantFrom(' ', '-', ''))
  .map(([rest, separator]): Pii => {
    const number = `4${rest}`;
    const value = number.match(/.{4}/g)!.join(separator);
    return { value, fragments: [value, number] };
  });
const ibanPii = digits(20).map((rest): Pii => ({ value: `DE${rest}`, fragments: [`DE${rest}`, rest.slice(4)] }));
const tokenPii = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9]{24}$/), fc.constantFrom('sk_live_', 'sk_test_', 'ghp_', 'xoxb-'))
  .map(([secret, prefix]): Pii => ({ value: `${prefix}${secret}`, fragments: [secret] }));
const ssnPii = fc.tuple(digits(3), digits(2), digits(4)).map(([a, b, c]): Pii => ({ value: `${a}-${b}-${c}`, fragments: [`${a}-${b}-${c}`] }));
const anyPii = fc.oneof(emailPii, phonePii, cardPii, ibanPii, tokenPii, ssnPii);
const filler = fc.constantFrom('Please', 'see', 'the attached', 'for', 'details:', 'ok', 'Thanks', 'ref');
/** A free text with the value somewhere in it. */
const sentence = (pii: Pii) => fc.tuple(fc.array(filler, { maxLength: 3 }), fc.array(filler, { maxLength: 3 })).map(([before, after]) => [...before, pii.value, ...after].join(' '));
const PLACES = ['message', 'bio', 'profile', 'profileKey', 'settings', 'emails', 'details', 'code'] as const;
const placement = fc.record({ pii: anyPii, place: fc.constantFrom(...PLACES), nameInText: fc.boolean() });

describe('Migration CopySecret1764900000000', () => {
  test('When it is applied and reverted in a scratch schema, then the table exists with its one-row and length checks, and is gone after down', async () => {
    const client = await target.pool.connect();
    const runner = { query: (sql: string) => client.query(sql) } as unknown as QueryRunner;
    try {
      await client.query('BEGIN');
      await client.query('CREATE SCHEMA copy_secret_scratch; SET LOCAL search_path = copy_secret_scratch');
      const migration = new CopySecret1764900000000();

      await migration.up(runner);
      await client.query('SAVEPOINT short');
      await expect(client.query(`INSERT INTO testapi_copy_secret (secret) VALUES ('\\x00')`)).rejects.toMatchObject({ code: '23514' });
      await client.query('ROLLBACK TO short');
      await expect(client.query(`INSERT INTO testapi_copy_secret (id, secret) VALUES (false, decode(repeat('00', 32), 'hex'))`)).rejects.toMatchObject({ code: '23514' });
      await client.query('ROLLBACK TO short');
      await migration.down(runner);

      expect((await client.query(`SELECT to_regclass('copy_secret_scratch.testapi_copy_secret') AS t`)).rows).toEqual([{ t: null }]);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});

describe('POST /tags/{tag}/copies, property', () => {
  test('When people with personal values in random places are copied, then none of those values reaches the target', async () => {
    await fc.assert(
      fc.asyncProperty(name, name, fc.array(placement, { minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 1000 }), async (first, last, placements, seed) => {
        const texts = { message: [] as string[], bio: [] as string[], details: [] as string[] };
        const profile: Record<string, unknown> = { age: 30 };
        const settings: Record<string, unknown> = {};
        const emails: string[] = [];
        let code: string | null = null;
        for (const [position, { pii, place, nameInText }] of placements.entries()) {
          const text = fc.sample(sentence(pii), { numRuns: 1, seed: seed + position })[0]!;
          const withName = nameInText ? `${text} (${first} ${last})` : text;
          if (place === 'message' || place === 'bio' || place === 'details') texts[place].push(withName);
          else if (place === 'profile') profile[`field${position}`] = { nested: [withName] };
          else if (place === 'profileKey') profile[pii.value] = true;
          else if (place === 'settings') settings[`s${position}`] = withName;
          else if (place === 'emails') emails.push(pii.value);
          else code = pii.value.slice(0, 10);
        }
        const id = await insertPerson(
          source.pool,
          { first_name: first, last_name: last, email: `${first.toLowerCase()}@people.example`, emails, profile, settings, message: texts.message.join('\n'), bio: texts.bio.join('\n'), code },
          texts.details.map((details, at) => ({ amount: `${at + 1}.25`, details })),
        );
        const tag = uniqueTag('prop');

        const res = await http(target.app).post(`/tags/${tag}/copies`).send({ source: 'staging', root: { table: 'person', ids: [id] }, children: 1, seed }).expect(201);

        const rows = await target.pool.query<{ row: string }>(
          `SELECT t::text AS row FROM person t JOIN testapi.testapi_row_ledger l ON l.tag = $1 AND l.table_name = 'public.person' AND l.pk = jsonb_build_array(t.person_id::text)
           UNION ALL
           SELECT t::text FROM person_note t JOIN testapi.testapi_row_ledger l ON l.tag = $1 AND l.table_name = 'public.person_note' AND l.pk = jsonb_build_array(t.note_id::text)`,
          [tag],
        );
        expect(rows.rows).toHaveLength(1 + texts.details.length);
        const fragments = [first, last, ...placements.flatMap(({ pii }) => pii.fragments)].filter((fragment) => fragment.length >= 6);
        expect(leaked(`${rows.rows.map((row) => row.row).join('\n')}\n${res.text}`, fragments)).toEqual([]);
      }),
      { numRuns: Number(process.env.COPY_PROPERTY_RUNS ?? 25), ...(process.env.COPY_PROPERTY_SEED ? { seed: Number(process.env.COPY_PROPERTY_SEED) } : {}) },
    );
  }, 120_000);
});

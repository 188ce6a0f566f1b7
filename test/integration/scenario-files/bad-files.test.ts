import fs from 'node:fs';
import path from 'node:path';
import { MAX_FILE_BYTES, ScenarioFilesError, startupLine } from '../../../src/files/read-scenario-files';
import { loadScenarioSet, scenarioFilesOf } from '../../../src/scenario-files/scenario-set';
import { schemaRegistryOf } from '../../../src/schema/schema-registry';
import { http } from '../../support/http';
import { useTargetApp } from '../schema-target/support/target-app';
import { scenarioDir } from './scenario-dir';

const files = scenarioDir('chinook');
const chinook = useTargetApp('chinook', { TESTAPI_SCENARIOS_DIR: files.dir });

// As the server does at start-up: the good set is in use before any file breaks.
beforeAll(async () => {
  await scenarioFilesOf(chinook.db, chinook.config).current();
});

/** A valid scenario with one part replaced: what each case breaks is all that differs. */
function scenario(parts: { params?: string; set?: string; count?: string; result?: string; name?: string } = {}): string {
  return `name: ${parts.name ?? 'broken'}
version: 1
params:
  type: object
  properties:
${parts.params ?? '    n: { type: integer, minimum: 1, default: 2 }'}
graph:
  customer:
    - as: customer
      count: ${parts.count ?? '1'}
      set: { ${parts.set ?? 'first_name: "{{faker.person.firstName}}"'} }
      invoice:
        - count: "{{params.n}}"
${parts.result ?? ''}`;
}

const BOMB = `name: bomb
version: 1
a: &a [x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: [*e, *e, *e, *e, *e, *e, *e, *e, *e]
`;

const CASES: Array<[string, string, string, string, RegExp]> = [
  ['an unknown column', 'broken.yaml', scenario({ set: 'emial: x@example.com' }), 'graph.customer[0].set.emial', /no column "emial"/],
  ['an unknown table', 'broken.yaml', scenario().replace('  customer:\n', '  customers:\n'), 'graph.customers', /unknown table "customers"/],
  ['a param type outside the subset', 'broken.yaml', scenario({ params: '    n: { type: integer, default: 2 }\n    when: { type: date }' }), 'params.properties.when.type', /string, integer, number, boolean/],
  ['a string param used as a count', 'broken.yaml', scenario({ params: '    n: { type: integer, default: 2 }\n    s: { type: string }', count: '"{{params.s}}"' }), 'graph.customer[0].count', /whole number/],
  ['a default of the wrong type', 'broken.yaml', scenario({ params: '    n: { type: integer, default: three }' }), 'params.properties.n.default', /must be integer/],
  ['a template outside the vocabulary', 'broken.yaml', scenario({ set: 'first_name: "{{process.exit()}}"' }), 'graph.customer[0].set.first_name', /not in the template vocabulary/],
  ['a faker method outside the allow-list', 'broken.yaml', scenario({ set: 'first_name: "{{faker.internet.password}}"' }), 'graph.customer[0].set.first_name', /not in the allow-list/],
  ['an undeclared param', 'broken.yaml', scenario({ set: 'first_name: "{{params.nope}}"' }), 'graph.customer[0].set.first_name', /no declared param/],
  ['a result path to nothing', 'broken.yaml', scenario({ result: 'result:\n  who: ghost[0]\n' }), 'result.who', /neither an alias/],
  ['a YAML bomb', 'bomb.yaml', BOMB, '(file)', /Excessive alias count/],
  ['a huge file', 'huge.yaml', `name: huge\nversion: 1\n# ${'x'.repeat(MAX_FILE_BYTES)}\n`, '(file)', /more than the 262144 a scenario file may have/],
  ['a custom YAML tag', 'broken.yaml', scenario({ set: 'first_name: !!js/function "return 1"' }), '(file)', /Unresolved tag/],
  ['a duplicate key', 'broken.yaml', scenario().replace('version: 1\n', 'version: 1\nversion: 2\n'), '(file)', /unique/],
  ['a __proto__ column', 'broken.yaml', scenario({ set: '__proto__: { polluted: true }' }), 'graph.customer[0].set.__proto__', /no column "__proto__"/],
  ['a __proto__ child key', 'broken.yaml', scenario().replace('      invoice:\n', '      __proto__:\n'), 'graph.customer[0].__proto__', /unknown child "__proto__"/],
  ['a name another file has', 'zz-again.json', JSON.stringify({ name: 'playlist-with-tracks', version: 1, graph: { playlist: [{}] } }), 'name', /already defined in playlist-with-tracks.json/],
];

describe('Bad scenario files', () => {
  test.each(CASES)('When a file holds %s, then start-up stops with one line naming %s and the path, and POST /schema/reload answers 400 keeping the previous set', async (_case, file, text, path, message) => {
    files.write(file, text);
    try {
      const index = await schemaRegistryOf(chinook.db, chinook.config).current();
      const refused = await loadScenarioSet(files.dir, index, { maxRows: chinook.config.maxRowsPerRequest, defaultTtlSeconds: 60 }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ScenarioFilesError);
      const line = startupLine(refused as ScenarioFilesError, files.dir);
      // One problem, one line.
      expect(line).not.toContain('\n');
      expect(line).toContain(`${file}: ${path}: `);
      expect(line).toMatch(message);

      const res = await http(chinook.app).post('/schema/reload').expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors).toContainEqual({ path: `${file}:${path}`, message: expect.stringMatching(message) });
      const listed = await http(chinook.app).get('/scenarios').expect(200);
      expect(listed.body.scenarios.map((entry: { name: string }) => entry.name)).toEqual(['customer-with-overdue-invoice', 'playlist-with-tracks']);
    } finally {
      files.remove(file);
    }
  });

  test('When several files hold problems, then start-up lists every one, a line each, and counts what is beyond the cap', async () => {
    files.write('broken-a.yaml', 'name: broken-a\nversion: 1\ngraph:\n  customer:\n    - set: { emial: x@example.com, phon: "1" }\n');
    files.write('broken-b.json', JSON.stringify({ name: 'broken-b', version: 1, graph: { nosuch: [{}] } }));
    const many = Array.from({ length: 30 }, (_, index) => `      col${index}: x`).join('\n');
    try {
      const index = await schemaRegistryOf(chinook.db, chinook.config).current();
      const load = (): Promise<unknown> => loadScenarioSet(files.dir, index, { maxRows: chinook.config.maxRowsPerRequest, defaultTtlSeconds: 60 }).catch((error: unknown) => error);

      const lines = startupLine((await load()) as ScenarioFilesError, files.dir).split('\n');
      expect(lines[0]).toMatch(/^scenario file broken-a\.yaml: graph\.customer\[0\]\.set\.emial: .*; 2 more problems below\)$/);
      expect(lines.slice(1)).toEqual([expect.stringMatching(/^  broken-a\.yaml: graph\.customer\[0\]\.set\.phon: /), expect.stringMatching(/^  broken-b\.json: graph\.nosuch: /)]);

      files.write('broken-a.yaml', `name: broken-a\nversion: 1\ngraph:\n  customer:\n    - set:\n${many}\n`);
      const capped = startupLine((await load()) as ScenarioFilesError, files.dir).split('\n');
      expect(capped).toHaveLength(21);
      expect(capped[20]).toMatch(/^  \.\.\. and \d+ more$/);
    } finally {
      files.remove('broken-a.yaml');
      files.remove('broken-b.json');
    }
  });

  test('When a scenario file is a link to nothing, then the reload answers 400 naming it', async () => {
    const link = path.join(files.dir, 'dangling.yaml');
    fs.symlinkSync(path.join(files.dir, 'gone.yaml'), link);
    try {
      const res = await http(chinook.app).post('/schema/reload').expect(400);
      expect(res.body.errors).toEqual([{ path: 'dangling.yaml:(file)', message: 'is a link to nothing readable or to a folder' }]);
    } finally {
      fs.rmSync(link);
    }
  });

  test('When a good file is added and the schema reloaded, then it is offered at once, its faker text cut to the column (postal_code is varchar(10)) for every seed', async () => {
    files.write('artist.yaml', 'name: artist-with-albums\nversion: 1\ngraph:\n  artist:\n    - as: artist\n      album: [{ count: 2, set: { title: "{{faker.music.songName}}" } }]\n  customer:\n    - set: { postal_code: "{{faker.company.name}} {{faker.company.name}}" }\nresult:\n  artist: artist[0]\n  code: customer[0].postal_code\n');
    try {
      await http(chinook.app).post('/schema/reload').expect(200);
      for (const seed of [1, 2, 3, 4, 5]) {
        const res = await http(chinook.app).post('/scenarios/artist-with-albums').send({ seed }).expect(201);
        const albums = await chinook.pool.query('SELECT count(*)::int AS n FROM album WHERE artist_id = $1', [res.body.data.artist.artist_id]);
        expect(albums.rows[0].n).toBe(2);
        expect([...res.body.data.code].length).toBe(10);
      }
    } finally {
      files.remove('artist.yaml');
      await http(chinook.app).post('/schema/reload').expect(200);
    }
  });
});

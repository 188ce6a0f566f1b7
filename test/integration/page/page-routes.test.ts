import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { PAGE_CSP, pageRoutes } from '../../../src/http/page.routes';

/** A built page in a temporary folder: what `npm run build` puts in dist/web. */
function builtPage(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'testapi-page-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

function appServing(dir: string): express.Express {
  const app = express();
  app.use(pageRoutes(dir));
  // Stands in for the service's unknownRoute: what the page router leaves alone.
  app.use((_req, res) => {
    res.status(404).send('fell through');
  });
  return app;
}

const INDEX = '<!doctype html><script type="module" src="{{assets}}/main.js"></script><link rel="stylesheet" href="{{assets}}/styles.css">';

describe('pageRoutes (GET / and /page/<version>/)', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('When the page is built, then / names its assets under a content hash, with the strict CSP, and the assets are cached for good', async () => {
    const dir = builtPage({ 'index.html': INDEX, 'assets/main.js': 'export {};', 'assets/styles.css': 'body{}' });
    dirs.push(dir);
    const app = appServing(dir);

    const page = await request(app).get('/').expect(200);
    const base = /src="(\/page\/[0-9a-f]{12})\/main\.js"/.exec(page.text)?.[1];
    const asset = await request(app).get(`${base}/main.js`).expect(200);

    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toBe(PAGE_CSP);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.text).not.toContain('{{assets}}');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.text).toBe('export {};');
    // Another version, the folder itself, or a file outside the assets falls through.
    expect((await request(app).get('/page/000000000000/main.js')).text).toBe('fell through');
    expect((await request(app).get(`${base}/`)).text).toBe('fell through');
    expect((await request(app).get(`${base}/../index.html`)).text).toBe('fell through');
  });

  test('When an asset changes, then the asset URLs change with it', async () => {
    const first = builtPage({ 'index.html': INDEX, 'assets/main.js': 'export const a = 1;' });
    const second = builtPage({ 'index.html': INDEX, 'assets/main.js': 'export const a = 2;' });
    dirs.push(first, second);

    const [one, two] = await Promise.all([request(appServing(first)).get('/'), request(appServing(second)).get('/')]);

    expect(one.text).not.toBe(two.text);
  });

  test('When the page is not built (tests from source before npm run build), then no route is added and / falls through', async () => {
    const dir = builtPage({});
    dirs.push(dir);

    const res = await request(appServing(dir)).get('/');

    expect([res.status, res.text]).toEqual([404, 'fell through']);
  });
});

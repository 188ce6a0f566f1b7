import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Pool } from 'pg';
import type { TableCounts } from '../../src/db/tables';
import { launchChromium, type TestBrowser } from '../support/chromium';
import { contractFetch } from '../support/contract-fetch';
import { countRowsByTag, totalOf, uniqueTag } from '../support/database';
import { useOwnCluster } from '../support/own-cluster';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { insertGraph, insertOrder, registerTag } from '../support/sql-fixtures';
import { assertionPool } from '../support/database';
import { createFixtureDatabase } from '../fixtures/schemas/fixtures';
import { ledgerCounts, tableChecksums } from '../integration/schema-target/support/target-checks';

/**
 * The environment page in a real headless Chromium (Debian's chromium, see
 * test/support/chromium.ts), against the built service on a cluster of its
 * own: the tag list must equal the whole database, which other test files
 * would change under it on the shared one.
 */
const KEY = 'page-e2e-key-0123456789abcdef';
const ARTIFACTS = path.join(__dirname, '..', 'artifacts');
const HOSTILE = '<img src=x onerror=alert(1)>';

// The service without a key (loopback) comes with the cluster; a second one on it requires the key.
const own = useOwnCluster({ server: true, env: { HOST: '127.0.0.1' } });
let open: ServerProcess;
let keyed: ServerProcess;
/** A service in target mode on an application's schema (the Sequelize-style conduit: no indexes on its foreign keys). */
let target: ServerProcess;
let targetPool: Pool;
let pool: Pool;
let chromium: TestBrowser;

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  open = own.server;
  pool = own.pool;
  // On a fresh machine Chromium is installed first (apt), hence the long timeout.
  const conduitUrl = await createFixtureDatabase(own.url, 'conduit');
  targetPool = assertionPool(conduitUrl, 2);
  [keyed, target, chromium] = await Promise.all([
    startServerProcess({ DATABASE_URL: own.url, HOST: '127.0.0.1', TESTAPI_API_KEY: KEY }),
    startServerProcess({ DATABASE_URL: conduitUrl, HOST: '127.0.0.1', TESTAPI_TARGET_SCHEMAS: 'public' }),
    launchChromium(),
  ]);
}, 600_000);

afterAll(async () => {
  await chromium?.close();
  await keyed?.stop();
  await target?.stop();
  await targetPool?.end();
});

/** The public API as a test sees it: every answer checked against openapi.yaml. */
async function call<T>(server: ServerProcess, method: string, url: string, body?: unknown, key?: string): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (key) headers.Authorization = `Bearer ${key}`;
  const res = await contractFetch()(`${server.url}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as T };
}

async function provision(scenario: string, tag: string, params: Record<string, unknown>): Promise<void> {
  const res = await call(open, 'POST', `/scenarios/${scenario}`, { tag, params });
  expect(res.status).toBe(201);
}

interface OpenedPage {
  page: Page;
  /** alert/confirm/prompt dialogs the page opened (none may ever fire). */
  dialogs: string[];
  /** Script errors and CSP refusals (HTTP error statuses the page handles are not counted). */
  errors: string[];
}

async function openPage(server: ServerProcess, at = '/', viewport = { width: 1280, height: 800 }): Promise<OpenedPage> {
  const page = await chromium.context.newPage();
  await page.setViewportSize(viewport);
  // Well inside Jest's 30 s, so a failing wait names the step instead of timing out the test.
  page.setDefaultTimeout(15_000);
  const opened: OpenedPage = { page, dialogs: [], errors: [] };
  page.on('dialog', (dialog) => {
    opened.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => opened.errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/^Failed to load resource: the server responded with a status of (400|401|404|409)/.test(message.text())) {
      opened.errors.push(message.text());
    }
  });
  await page.goto(`${server.url}${at}`);
  return opened;
}

async function finish(opened: OpenedPage): Promise<void> {
  expect(opened.errors).toEqual([]);
  expect(opened.dialogs).toEqual([]);
  await opened.page.close();
}

function screenshot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: path.join(ARTIFACTS, `page-${name}.png`), fullPage: true });
}

interface RowOnPage {
  tag: string;
  total: number;
  perTable: string;
  expired: boolean;
  createdAt: string | null;
  expiresAt: string | null;
}

/** What the tag table shows, read as a person reads it (text), row by row. */
function rowsOnPage(page: Page): Promise<RowOnPage[]> {
  return page.$$eval('#tags-list tbody tr', (rows) =>
    rows.map((row) => ({
      tag: row.querySelector('.tag-name')?.textContent ?? '',
      total: Number((row.querySelector('.total')?.textContent ?? '').replace(/,/g, '')),
      perTable: row.querySelector('.per-table')?.textContent ?? '',
      expired: row.querySelector('.badge')?.textContent === 'expired',
      createdAt: row.querySelectorAll('time')[0]?.getAttribute('datetime') ?? null,
      expiresAt: row.querySelectorAll('time')[1]?.getAttribute('datetime') ?? null,
    })),
  );
}

function perTableText(counts: TableCounts): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([table, n]) => `${table} ${n.toLocaleString('en')}`);
  return parts.length > 0 ? parts.join(', ') : 'no rows';
}

interface TagSummary {
  tag: string;
  createdAt: string;
  expiresAt: string;
  counts: TableCounts;
  total: number;
}

async function allTagsFromApi(): Promise<TagSummary[]> {
  const res = await call<{ tags: TagSummary[]; nextCursor: string | null }>(open, 'GET', '/tags?limit=1000');
  expect(res.status).toBe(200);
  expect(res.body.nextCursor).toBeNull();
  return res.body.tags;
}

/** Every control a person can operate has a name a screen reader announces. */
function unlabelledControls(page: Page): Promise<string[]> {
  return page.$$eval('main input, main select, main button, dialog input, dialog button', (controls) =>
    controls
      .filter((control) => {
        const labelled = (control as { labels?: ArrayLike<unknown> }).labels?.length || control.getAttribute('aria-label') || control.getAttribute('aria-labelledby');
        return !labelled && !(control.tagName === 'BUTTON' && control.textContent?.trim());
      })
      .map((control) => control.outerHTML.slice(0, 120)),
  );
}

/** Pixels the page sticks out sideways (a phone must not scroll horizontally). The expression runs in the page: this file has no DOM typings. */
function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
}

describe('GET / (the environment page) and its assets', () => {
  test('When fetched without a key from a keyed service, then the page and its assets load with a strict CSP and cache headers, while the API still needs the key', async () => {
    const res = await contractFetch()(`${keyed.url}/`);
    const html = await res.text();

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toMatch(/https?:/);
    // No inline script or style, no external origin.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|style=|\son[a-z]+=/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);

    const assets = [...html.matchAll(/(?:src|href)="(\/page\/[0-9a-f]{12}\/[^"]+)"/g)].map((match) => match[1]!);
    expect(assets).toEqual(expect.arrayContaining([expect.stringMatching(/main\.js$/), expect.stringMatching(/styles\.css$/)]));
    for (const asset of assets) {
      // The page's assets are outside the API contract (like the Swagger UI's under /docs/): plain fetch here.
      const assetRes = await fetch(`${keyed.url}${asset}`);
      expect([asset, assetRes.status]).toEqual([asset, 200]);
      expect(assetRes.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    expect((await call(keyed, 'GET', '/tags')).status).toBe(401);
    expect((await contractFetch()(`${keyed.url}/page/000000000000/main.js`)).status).toBe(404);
  });
});

describe('The Tags view', () => {
  test('When tags exist, then the page lists each with its rows exactly as GET /tags and PostgreSQL have them, one API page at a time, expired ones marked', async () => {
    const run = uniqueTag('list');
    const [small, user, orders, expired] = [`${run}-catalog`, `${run}-user`, `${run}-orders`, `${run}-expired`];
    await provision('catalog', small, { products: 3 });
    await provision('user', user, { addresses: 2 });
    await provision('user-with-orders', orders, { orders: 2, itemsPerOrder: 1 });
    await registerTag(expired, { expiresInSeconds: -60, createdSecondsAgo: 3600 }, pool);
    const fromApi = await allTagsFromApi();

    // Two tags per API page: the list needs the cursor to show them all.
    const opened = await openPage(open, '/?pageSize=2#tags');
    const { page } = opened;
    await page.locator('#tags-list tbody tr').nth(1).waitFor();
    expect(await page.locator('#tags-list tbody tr').count()).toBe(2);
    while (await page.locator('#tags-more').isVisible()) {
      const before = await page.locator('#tags-list tbody tr').count();
      await page.locator('#tags-more').click();
      await page.locator('#tags-list tbody tr').nth(before).waitFor();
    }
    const shown = await rowsOnPage(page);

    expect(shown.map((row) => row.tag).sort()).toEqual(fromApi.map((tag) => tag.tag).sort());
    for (const tag of fromApi) {
      const row = shown.find((candidate) => candidate.tag === tag.tag)!;
      const inPostgres = await countRowsByTag(tag.tag, pool);
      expect({ tag: row.tag, total: row.total, perTable: row.perTable, createdAt: row.createdAt, expiresAt: row.expiresAt }).toEqual({
        tag: tag.tag,
        total: totalOf(inPostgres),
        perTable: perTableText(inPostgres),
        createdAt: tag.createdAt,
        expiresAt: tag.expiresAt,
      });
      expect(row.expired).toBe(Date.parse(tag.expiresAt) <= Date.now());
    }
    expect(shown.find((row) => row.tag === expired)?.expired).toBe(true);
    expect(shown.find((row) => row.tag === orders)?.expired).toBe(false);
    // Absolute time on hover.
    expect(await page.locator(`tr[data-tag="${orders}"] time`).first().getAttribute('title')).toMatch(/\d{4}/);

    await page.locator('#tag-sort').selectOption('largest');
    const bySize = await rowsOnPage(page);
    expect(bySize.map((row) => row.total)).toEqual([...bySize.map((row) => row.total)].sort((a, b) => b - a));
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'tags');

    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'tags-phone');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('#tag-prefix').fill(`${run}-user`);
    await page.locator('#tag-prefix').press('Enter');
    await page.locator('#tags-list tbody tr').nth(1).waitFor({ state: 'detached' });
    expect((await rowsOnPage(page)).map((row) => row.tag)).toEqual([user]);
    await finish(opened);
  });

  test('When a tag is deleted from the page, then the confirmation names it and its row count, and exactly its rows leave PostgreSQL', async () => {
    const doomed = uniqueTag('doomed');
    const kept = uniqueTag('kept');
    await provision('user', doomed, { addresses: 2 });
    await provision('user', kept, { addresses: 1 });
    const keptBefore = await countRowsByTag(kept, pool);
    const opened = await openPage(open, '/#tags');
    const { page } = opened;
    const deleteButton = page.getByRole('button', { name: `Delete tag ${doomed}` });
    await deleteButton.waitFor();

    // Keyboard only: Enter opens the confirmation, Escape cancels it, nothing is deleted.
    await deleteButton.focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('#confirm-dialog');
    await dialog.waitFor();
    expect(await page.locator('#confirm-text').textContent()).toContain(`tag ${doomed} and its 3 rows`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'page-tags-confirm.png') });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(totalOf(await countRowsByTag(doomed, pool))).toBe(3);

    // Enter again, Tab from Cancel to the delete button, Enter.
    await deleteButton.focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.locator('#status', { hasText: `Deleted tag ${doomed}: 3 rows.` }).waitFor();

    expect(await page.locator('#status').textContent()).toContain('addresses 2, users 1');
    // The button that had focus is gone with its row: focus moves to the answer, not to <body>.
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('status');
    expect(await page.locator(`tr[data-tag="${doomed}"]`).count()).toBe(0);
    expect(totalOf(await countRowsByTag(doomed, pool))).toBe(0);
    expect((await pool.query('SELECT 1 FROM test_tags WHERE tag = $1', [doomed])).rowCount).toBe(0);
    expect(await countRowsByTag(kept, pool)).toEqual(keptBefore);
    await finish(opened);
  });

  test('When the tag is referenced by another tag, then the 409 is shown in words with the referencing tag and nothing is deleted', async () => {
    const referenced = uniqueTag('referenced');
    const referencing = uniqueTag('referencing');
    const created = await call<{ data: { user: { id: string }; products: { id: string }[] } }>(open, 'POST', '/scenarios/user-with-orders', {
      tag: referenced,
      params: { orders: 1, itemsPerOrder: 1 },
    });
    await registerTag(referencing, {}, pool);
    await insertOrder(referencing, created.body.data.user.id, created.body.data.products[0]!.id, pool);
    const before = await countRowsByTag(referenced, pool);
    const opened = await openPage(open, '/#tags');
    const { page } = opened;

    await page.getByRole('button', { name: `Delete tag ${referenced}` }).click();
    await page.locator('#confirm-ok').click();
    await page.locator('#status', { hasText: '(HTTP 409)' }).waitFor();

    const status = await page.locator('#status').textContent();
    expect(status).toContain(`Could not delete tag ${referenced}.`);
    expect(status).toContain('Tag still referenced (HTTP 409)');
    expect(status).toContain(`Referenced by tag ${referencing}`);
    expect(await countRowsByTag(referenced, pool)).toEqual(before);
    await screenshot(page, 'tags-409');
    await finish(opened);
    expect((await call(open, 'DELETE', `/tags/${referencing}`)).status).toBe(200);
  });

  test('When the application has commented on an article of the tag, then the 409 shows what references it and "Delete with dependents" deletes exactly the tag and that comment', async () => {
    const before = await tableChecksums(targetPool);
    const tag = uniqueTag('page-dependents');
    const created = await fetch(`${target.url}/graphs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ tag, graph: { users: [{ articles: [{ count: 1 }] }] } }),
    });
    expect(created.status).toBe(201);
    const articleId = Number(((await created.json()) as { records: { articles: Array<{ id: number }> } }).records.articles[0]!.id);
    // The application's own comment on it, by its own user (jake, id 1): no tag's row.
    const comment = await targetPool.query<{ id: number }>(
      `INSERT INTO comments (body, "articleId", "authorId", "createdAt", "updatedAt") VALUES ('Nice one', $1, 1, now(), now()) RETURNING id`,
      [articleId],
    );
    const commentId = comment.rows[0]!.id;
    const remaining = async (): Promise<{ articles: number; comments: number }> => ({
      articles: (await targetPool.query('SELECT 1 FROM articles WHERE id = $1', [articleId])).rowCount ?? -1,
      comments: (await targetPool.query('SELECT 1 FROM comments WHERE id = $1', [commentId])).rowCount ?? -1,
    });

    const opened = await openPage(target, '/#tags');
    const { page } = opened;
    await page.getByRole('button', { name: `Delete tag ${tag}` }).click();
    await page.locator('#confirm-ok').click();
    await page.locator('#status', { hasText: '(HTTP 409)' }).waitFor();
    const refused = (await page.locator('#status').textContent()) ?? '';
    expect(refused).toContain(`Could not delete tag ${tag}.`);
    expect(refused).toMatch(/1 row of comments \(\S+\) reference its rows in articles\./);
    expect(await remaining()).toEqual({ articles: 1, comments: 1 });
    await screenshot(page, 'tags-409-dependents');

    // The offer has its own confirmation, saying the rows are not the tag's; Escape keeps everything.
    const offer = page.getByRole('button', { name: 'Delete with dependents' });
    await offer.click();
    await page.locator('#confirm-dialog').waitFor();
    expect(await page.locator('#confirm-text').textContent()).toContain("Those rows are not the tag's");
    await page.keyboard.press('Escape');
    await page.locator('#confirm-dialog').waitFor({ state: 'hidden' });
    expect(await remaining()).toEqual({ articles: 1, comments: 1 });

    await offer.click();
    await page.locator('#confirm-ok').click();
    await page.locator('#status', { hasText: `Deleted tag ${tag}` }).waitFor();
    expect(await page.locator('#status').textContent()).toContain('Rows outside the tag that referenced it, deleted too: comments 1.');
    expect(await remaining()).toEqual({ articles: 0, comments: 0 });
    expect(await ledgerCounts(targetPool, tag)).toEqual({});
    // Every row that was there before is still there, unchanged.
    expect(await tableChecksums(targetPool)).toEqual(before);
    await finish(opened);
  });

  test('When expired tags, and tags by prefix and age, are deleted from the page, then the answer lists them and only they leave PostgreSQL', async () => {
    const run = uniqueTag('aged');
    const old = `${run}-old`;
    const recent = `${run}-recent`;
    const expired = uniqueTag('expired');
    await registerTag(old, { createdSecondsAgo: 3 * 3600 }, pool);
    const oldGraph = await insertGraph(old, {}, pool);
    await provision('catalog', recent, { products: 1 });
    await registerTag(expired, { expiresInSeconds: -5 }, pool);
    const expiredNow = (await pool.query<{ tag: string }>('SELECT tag FROM test_tags WHERE expires_at <= now() ORDER BY tag')).rows.map((row) => row.tag);
    const opened = await openPage(open, '/#tags');
    const { page } = opened;
    await page.locator('#tags-list tbody tr').first().waitFor();

    await page.getByRole('button', { name: 'Delete expired tags' }).click();
    await page.locator('#confirm-ok').click();
    await page.locator('#status', { hasText: 'Deleted' }).waitFor();
    const expiredStatus = await page.locator('#status').textContent();
    expect(expiredStatus).toContain(`Deleted ${expiredNow.length} tag`);
    for (const tag of expiredNow) expect(expiredStatus).toContain(tag);
    for (const tag of expiredNow) expect((await pool.query('SELECT 1 FROM test_tags WHERE tag = $1', [tag])).rowCount).toBe(0);
    expect(expiredNow).toContain(expired);

    await page.getByLabel('Tags starting with').fill(`${run}-`);
    await page.getByLabel('Older than').fill('2');
    await page.getByLabel('Age unit').selectOption({ label: 'hours' });
    await page.getByRole('button', { name: 'Delete matching tags' }).click();
    expect(await page.locator('#confirm-text').textContent()).toBe(`Delete every tag starting with "${run}-" and created more than 2 hours ago, with all its rows?`);
    await page.locator('#confirm-ok').click();
    await page.locator('#status', { hasText: `Tags: ${old}` }).waitFor();

    expect(await page.locator('#status').textContent()).toContain(`Deleted 1 tag and ${totalOf(oldGraph.counts)} rows.`);
    expect(totalOf(await countRowsByTag(old, pool))).toBe(0);
    expect(totalOf(await countRowsByTag(recent, pool))).toBe(1);
    await finish(opened);
  });
});

describe('The Scenarios view', () => {
  interface ScenarioInfo {
    name: string;
    paramsSchema: { properties: Record<string, { enum?: string[]; minimum?: number; maximum?: number }> };
  }

  test('When the user-with-orders form is sent, then it provisions what it says (rows in PostgreSQL), lists the created ids and the curl command; out-of-bounds values never leave the browser', async () => {
    const catalog = await call<{ scenarios: ScenarioInfo[] }>(open, 'GET', '/scenarios');
    const schema = catalog.body.scenarios.find((scenario) => scenario.name === 'user-with-orders')!.paramsSchema.properties;
    const tag = uniqueTag('form');
    const opened = await openPage(open, '/#scenarios');
    const { page } = opened;
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') posts.push(request.url());
    });
    const form = page.locator('form[data-scenario="user-with-orders"]');
    await form.waitFor();
    expect(await page.locator('#scenarios-list form').count()).toBe(catalog.body.scenarios.length);

    const status = form.getByLabel('status', { exact: true });
    expect(await status.locator('option').allTextContents()).toEqual(schema.status!.enum);
    const orders = form.getByLabel('orders', { exact: true });
    expect([await orders.getAttribute('min'), await orders.getAttribute('max')]).toEqual([String(schema.orders!.minimum), String(schema.orders!.maximum)]);
    await form.getByLabel('Tag', { exact: true }).fill(tag);
    await orders.fill(String(schema.orders!.maximum! + 1));
    await form.getByRole('button', { name: 'Provision user-with-orders' }).click();
    expect(await orders.evaluate((input) => (input as unknown as { validity: { rangeOverflow: boolean } }).validity.rangeOverflow)).toBe(true);
    expect(posts).toEqual([]);

    await orders.fill('2');
    await form.getByLabel('itemsPerOrder', { exact: true }).fill('1');
    await status.selectOption('shipped');
    await form.getByRole('button', { name: 'Provision user-with-orders' }).click();
    const card = page.locator('section.scenario', { has: form });
    await card.locator('.message', { hasText: 'Created' }).waitFor();

    const inPostgres = await countRowsByTag(tag, pool);
    expect(inPostgres).toMatchObject({ users: 1, orders: 2, order_items: 2, payments: 2, shipments: 2 });
    const statuses = await pool.query<{ status: string }>('SELECT DISTINCT status FROM orders WHERE test_tag = $1', [tag]);
    expect(statuses.rows).toEqual([{ status: 'shipped' }]);
    expect(await card.locator('.message').textContent()).toContain(`Created ${totalOf(inPostgres)} rows under tag ${tag}`);
    const idsOnPage = await card.locator('.ids input').evaluateAll((inputs) => inputs.map((input) => (input as unknown as { value: string }).value));
    const ids = await pool.query<{ id: string }>(
      `SELECT id::text FROM users WHERE test_tag = $1 UNION ALL SELECT id::text FROM orders WHERE test_tag = $1
       UNION ALL SELECT id::text FROM order_items WHERE test_tag = $1 UNION ALL SELECT id::text FROM payments WHERE test_tag = $1
       UNION ALL SELECT id::text FROM shipments WHERE test_tag = $1 UNION ALL SELECT id::text FROM products WHERE test_tag = $1`,
      [tag],
    );
    expect([...idsOnPage].sort()).toEqual(ids.rows.map((row) => row.id).sort());
    expect(await card.getByRole('button', { name: /^Copy .* id$/ }).count()).toBe(idsOnPage.length);
    await chromium.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: open.url });
    await card.getByRole('button', { name: 'Copy user id' }).click();
    await card.getByRole('button', { name: 'Copy user id' }).filter({ hasText: 'Copied' }).waitFor();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(idsOnPage[0]);

    const curl = (await card.locator('.curl code').textContent()) ?? '';
    expect(curl).toContain(`curl -sS -X POST '${open.url}/scenarios/user-with-orders'`);
    expect(curl).not.toContain('Authorization');
    expect(JSON.parse(/-d '(.*)'$/.exec(curl)![1]!)).toEqual({ tag, params: { orders: 2, itemsPerOrder: 1, status: 'shipped' } });
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'scenarios');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'scenarios-phone');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    // Back on the Tags view the new tag is listed: the view reads the tags again at each visit.
    await page.getByRole('link', { name: 'Tags', exact: true }).click();
    await page.locator(`tr[data-tag="${tag}"]`).waitFor();
    await finish(opened);
  });

  test('When the service refuses the request, then its 400 is shown in words naming the field, and nothing is written', async () => {
    const tag = uniqueTag('too-big');
    const opened = await openPage(open, '/#scenarios');
    const { page } = opened;
    const form = page.locator('form[data-scenario="bulk-orders"]');
    await form.waitFor();

    await form.getByLabel('Tag', { exact: true }).fill(tag);
    await form.getByLabel('users', { exact: true }).fill('100000');
    await form.getByLabel('ordersPerUser', { exact: true }).fill('50');
    await form.getByLabel('itemsPerOrder', { exact: true }).fill('20');
    await form.getByRole('button', { name: 'Provision bulk-orders' }).click();
    const message = page.locator('section.scenario', { has: form }).locator('.message');
    await message.locator('text=/HTTP 400/').waitFor();

    expect(await message.textContent()).toMatch(/Could not provision bulk-orders; nothing was written\..*\(HTTP 400\).*params/);
    expect(totalOf(await countRowsByTag(tag, pool))).toBe(0);
    expect((await pool.query('SELECT 1 FROM test_tags WHERE tag = $1', [tag])).rowCount).toBe(0);
    await finish(opened);
  });
});

describe('Hostile text', () => {
  test('When a tag (written outside the API) is named <img src=x onerror=alert(1)>, then it shows as text everywhere and no script runs', async () => {
    await registerTag(HOSTILE, { labels: { owner: '<script>alert(2)</script>' } }, pool);
    try {
      const opened = await openPage(open, '/#tags');
      const { page } = opened;
      const row = page.locator('#tags-list tbody tr', { hasText: HOSTILE });
      await row.waitFor();

      expect(await row.locator('.tag-name').textContent()).toBe(HOSTILE);
      expect(await row.locator('.labels').textContent()).toBe('owner=<script>alert(2)</script>');
      expect(await page.locator('#tags-list img, #tags-list script').count()).toBe(0);
      await row.getByRole('button', { name: `Delete tag ${HOSTILE}` }).click();
      expect(await page.locator('#confirm-title').textContent()).toBe(`Delete tag ${HOSTILE}?`);
      await page.locator('#confirm-ok').click();
      // The API refuses the name (it is no valid tag): the refusal is shown, as text too.
      await page.locator('#status', { hasText: 'HTTP 400' }).waitFor();
      expect(await page.locator('#status').textContent()).toContain(`Could not delete tag ${HOSTILE}.`);
      expect(await page.locator('img').count()).toBe(0);
      await screenshot(page, 'tags-hostile');
      await finish(opened);
    } finally {
      await pool.query('DELETE FROM test_tags WHERE tag = $1', [HOSTILE]);
    }
  });
});

describe('API key', () => {
  test('When the service needs a key, then the page asks for it, shows a wrong key’s 401 in words, keeps the right one in sessionStorage only and sends it', async () => {
    const tag = uniqueTag('keyed');
    expect((await call(keyed, 'POST', '/scenarios/catalog', { tag, params: { products: 2 } }, KEY)).status).toBe(201);
    const opened = await openPage(keyed, '/#tags');
    const { page } = opened;
    const dialog = page.locator('#key-dialog');
    await dialog.waitFor();
    expect(await page.locator('#key-message').textContent()).toMatch(/^This testapi requires an API key\. Unauthorized \(HTTP 401\): This endpoint requires an API key/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'page-key-prompt.png') });

    await page.getByRole('textbox', { name: 'API key' }).fill('not-the-key-0123456789');
    await page.getByRole('button', { name: 'Use key' }).click();
    await page.locator('#key-message', { hasText: 'refused' }).waitFor();
    expect(await page.locator('#key-message').textContent()).toBe('The key was refused. Unauthorized (HTTP 401): The API key is missing, malformed or not accepted.');
    await page.screenshot({ path: path.join(ARTIFACTS, 'page-key-refused.png') });

    await page.getByRole('textbox', { name: 'API key' }).fill(KEY);
    await page.getByRole('textbox', { name: 'API key' }).press('Enter');
    await page.locator(`tr[data-tag="${tag}"]`).waitFor();
    expect(await dialog.isVisible()).toBe(false);
    expect(await page.evaluate<unknown>("sessionStorage.getItem('testapi.apiKey')")).toBe(KEY);
    expect(await page.evaluate<unknown>('[localStorage.length, document.cookie]')).toEqual([0, '']);

    // A reload keeps the key for the tab; Forget drops it.
    await page.reload();
    await page.locator(`tr[data-tag="${tag}"]`).waitFor();
    await page.getByRole('button', { name: 'Forget API key' }).click();
    expect(await page.evaluate<unknown>("sessionStorage.getItem('testapi.apiKey')")).toBeNull();
    await finish(opened);
  });

  test('When the prompt is declined, then the view says the 401 in words', async () => {
    const opened = await openPage(keyed, '/#tags');
    const { page } = opened;
    await page.locator('#key-dialog').waitFor();

    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('#status', { hasText: 'HTTP 401' }).waitFor();

    expect(await page.locator('#status').textContent()).toContain('Could not list the tags.Unauthorized (HTTP 401): This endpoint requires an API key');
    await finish(opened);
  });
});

describe('The Schema view', () => {
  interface SchemaModel {
    tables: { key: string; label: string; columns: { name: string; generator: { kind: string; reason: string } }[] }[];
  }

  test('When the service answers GET /schema, then the Schema tab shows its tables with keys and the generator per column', async () => {
    const model = await call<SchemaModel>(open, 'GET', '/schema');
    expect(model.status).toBe(200);
    const opened = await openPage(open, '/#schema');
    const { page } = opened;
    await page.locator('details.schema-table').first().waitFor();

    expect(await page.locator('#schema-tab').getAttribute('data-probed')).toBe('true');
    const labels = await page.locator('details.schema-table summary .table-name').allTextContents();
    expect(labels).toEqual(model.body.tables.map((table) => table.label));
    const first = model.body.tables[0]!;
    const generators = await page.locator('details.schema-table').first().locator('tbody tr td:last-child').allTextContents();
    expect(generators).toEqual(first.columns.map((column) => `${column.generator.kind} ${column.generator.reason}`));
    await screenshot(page, 'schema');
    await finish(opened);
  });

  test('When a service without GET /schema answers 404, then the Schema tab stays hidden and #schema shows the tags', async () => {
    const page = await chromium.context.newPage();
    // A testapi without 'Your schema' (older, or built without it) answers GET /schema like any unknown route.
    await page.route('**/schema', (route) =>
      route.fulfill({
        status: 404,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'urn:testapi:problem:not-found', title: 'Not found', status: 404, detail: 'No route GET /schema.' }),
      }),
    );
    await page.goto(`${open.url}/#schema`);
    await page.locator('#schema-tab[data-probed]').waitFor({ state: 'attached' });

    expect(await page.locator('#schema-tab').getAttribute('data-probed')).toBe('false');
    expect(await page.locator('#schema-tab').isHidden()).toBe(true);
    expect(await page.locator('#view-schema').isHidden()).toBe(true);
    expect(await page.locator('#view-tags').isVisible()).toBe(true);
    await page.close();
  });
});

import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Pool } from 'pg';
import type { TableCounts } from '../../src/db/tables';
import { launchChromium, type TestBrowser } from '../support/chromium';
import { contractFetch } from '../support/contract-fetch';
import { assertionPool, countRowsByTag, totalOf, uniqueTag } from '../support/database';
import { startOwnCluster } from '../support/own-cluster';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { insertGraph, insertOrder, registerTag } from '../support/sql-fixtures';

/**
 * The environment page in a real headless Chromium (Debian's chromium, see
 * test/support/chromium.ts), against the built service on a cluster of its
 * own: the tag list must equal the whole database, which other test files
 * would change under it on the shared one.
 */
const KEY = 'page-e2e-key-0123456789abcdef';
const ARTIFACTS = path.join(__dirname, '..', 'artifacts');
const HOSTILE = '<img src=x onerror=alert(1)>';

let cluster: Awaited<ReturnType<typeof startOwnCluster>>;
let open: ServerProcess;
let keyed: ServerProcess;
let pool: Pool;
let chromium: TestBrowser;

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  cluster = await startOwnCluster();
  pool = assertionPool(cluster.url, 2);
  // Chromium starts while the services do; on a fresh machine it is installed first (apt), hence the long timeout.
  [open, keyed, chromium] = await Promise.all([
    startServerProcess({ DATABASE_URL: cluster.url, HOST: '127.0.0.1' }),
    startServerProcess({ DATABASE_URL: cluster.url, HOST: '127.0.0.1', TESTAPI_API_KEY: KEY }),
    launchChromium(),
  ]);
}, 600_000);

afterAll(async () => {
  await chromium?.close();
  await Promise.all([open?.stop(), keyed?.stop()]);
  await pool?.end();
  await cluster?.destroy();
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
      const assetRes = await fetch(`${keyed.url}${asset}`);
      expect([asset, assetRes.status]).toEqual([asset, 200]);
      expect(assetRes.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    expect((await call(keyed, 'GET', '/tags')).status).toBe(401);
    expect((await fetch(`${keyed.url}/page/000000000000/main.js`)).status).toBe(404);
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
    // No sideways scrolling on a phone (the test file has no DOM typings: the expression runs in the page).
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);

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
    await screenshot(page, 'tags-confirm');
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

    expect(await page.locator('#status').textContent()).toMatch(/addresses 2, users 1|users 1, addresses 2/);
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

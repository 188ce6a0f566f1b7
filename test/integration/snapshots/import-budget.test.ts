import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createHttpServer } from '../../../src/http/http-server';
import { useTestApp } from '../../support/app';
import { assertMatchesContract } from '../../support/contract';
import { countRowsByTag, uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import { openRawSocket, parseResponse } from '../reliability/support/raw-socket';

// Room for one 30,000-byte snapshot at a time, not two.
const SNAPSHOT_BYTES = 30_000;
const testApp = useTestApp({ IMPORT_MEMORY_BUDGET_BYTES: '40000', MAX_IMPORT_BYTES: '1000000' });
let server: Server;
let port: number;

beforeAll(async () => {
  server = createHttpServer(testApp.app, testApp.config);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A snapshot of a user with two orders, padded to exactly SNAPSHOT_BYTES. */
async function paddedSnapshot(): Promise<string> {
  const tag = uniqueTag('budget-src');
  await http(testApp.app).post('/scenarios/user-with-orders').send({ tag, params: { orders: 2 } }).expect(201);
  const snapshot = (await http(testApp.app).get(`/tags/${tag}/export`).expect(200)).body as Record<string, unknown>;
  const bare = JSON.stringify({ ...snapshot, padding: '' });
  return JSON.stringify({ ...snapshot, padding: 'p'.repeat(SNAPSHOT_BYTES - bare.length) });
}

const settledWithin = (promise: Promise<unknown>, ms: number): Promise<boolean> =>
  Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

describe('POST /tags/{tag}/import under IMPORT_MEMORY_BUDGET_BYTES', () => {
  test('When a second snapshot arrives while the first holds the budget, then it waits unread until the first answers, and both are written', async () => {
    const body = await paddedSnapshot();
    expect(body.length).toBe(SNAPSHOT_BYTES);
    const first = uniqueTag('budget-a');
    const second = uniqueTag('budget-b');
    const raw = await openRawSocket(port);
    raw.socket.write(`POST /tags/${first}/import HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 1000)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));

    const waiting = request(`http://127.0.0.1:${port}`).post(`/tags/${second}/import`).set('Content-Type', 'application/json').send(body).then((res) => res);

    expect(await settledWithin(waiting, 700)).toBe(false);
    expect(Object.values(await countRowsByTag(second)).every((n) => n === 0)).toBe(true);
    raw.socket.write(body.slice(1000));
    expect(await raw.closedWithin(10_000)).toBeGreaterThanOrEqual(0);
    const answer = parseResponse(raw.received());
    expect(answer.status).toBe(201);
    const res = await waiting;
    assertMatchesContract({ method: 'post', url: `/tags/${second}/import`, status: res.status, contentType: res.headers['content-type'], body: res.body });
    expect(res.status).toBe(201);
    expect((await countRowsByTag(first)).orders).toBe(2);
    expect((await countRowsByTag(second)).orders).toBe(2);
  });

  test('When a waiting import’s client goes away, then it leaves the queue unwritten and the next import is served', async () => {
    const body = await paddedSnapshot();
    const [holder, gone, next] = [uniqueTag('budget-h'), uniqueTag('budget-gone'), uniqueTag('budget-next')];
    const raw = await openRawSocket(port);
    raw.socket.write(`POST /tags/${holder}/import HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n{`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const leaver = await openRawSocket(port);
    leaver.socket.write(`POST /tags/${gone}/import HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    leaver.socket.destroy();
    // The holder gives up too: its read fails, its bytes go back.
    raw.socket.destroy();

    const res = await http(testApp.app).post(`/tags/${next}/import`).set('Content-Type', 'application/json').send(body).expect(201);

    expect(res.body.counts).toMatchObject({ orders: 2 });
    expect(Object.values(await countRowsByTag(gone)).every((n) => n === 0)).toBe(true);
    expect(Object.values(await countRowsByTag(holder)).every((n) => n === 0)).toBe(true);
  });
});

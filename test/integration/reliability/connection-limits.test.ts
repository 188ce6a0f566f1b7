import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpServer } from '../../../src/http/http-server';
import { useTestApp } from '../../support/app';
import { assertMatchesContract } from '../../support/contract';
import { openRawSocket, parseResponse } from './support/raw-socket';

// Tight bounds so each case takes about a second; the defaults are checked in test/unit/config.test.ts.
const KEY = 'connection-limits-key-0123456789';
const testApp = useTestApp({
  TESTAPI_API_KEY: KEY,
  HEADERS_TIMEOUT_MS: '500',
  REQUEST_UPLOAD_TIMEOUT_MS: '1000',
  KEEP_ALIVE_TIMEOUT_MS: '300',
  MAX_CONNECTIONS: '4',
});
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

describe('Slow and numerous connections', () => {
  test('When a client never finishes its headers, then the connection is closed after HEADERS_TIMEOUT_MS, not Node’s 60 s', async () => {
    const raw = await openRawSocket(port);
    raw.socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n');

    const ms = await raw.closedWithin(5_000);

    expect(ms).toBeGreaterThanOrEqual(0);
    expect(ms).toBeLessThan(2_500);
    expect(raw.received()).toMatch(/^(HTTP\/1\.1 408|$)/);
  });

  test('When a client trickles a body, then the connection is closed after REQUEST_UPLOAD_TIMEOUT_MS and nothing is processed', async () => {
    const raw = await openRawSocket(port);
    raw.socket.write(`POST /scenarios/user HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`);
    const trickle = setInterval(() => raw.socket.write(' '), 100);

    const ms = await raw.closedWithin(5_000);
    clearInterval(trickle);

    expect(ms).toBeGreaterThanOrEqual(0);
    expect(ms).toBeLessThan(3_000);
  });

  test('When a kept-alive connection stays idle, then it is closed after KEEP_ALIVE_TIMEOUT_MS', async () => {
    const raw = await openRawSocket(port);
    raw.socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const response = parseResponse(raw.received());
    assertMatchesContract({ method: 'get', url: '/health', status: response.status, contentType: response.headers['content-type'], body: response.body });
    expect(response.status).toBe(200);

    const ms = await raw.closedWithin(3_000);

    expect(ms).toBeGreaterThanOrEqual(0);
    expect(ms).toBeLessThan(2_500);
  });

  test('When MAX_CONNECTIONS sockets are open, then one more is closed at once, and a free slot is usable again', async () => {
    const held = await Promise.all(Array.from({ length: 4 }, () => openRawSocket(port)));
    await new Promise((resolve) => setTimeout(resolve, 50));

    const extra = await openRawSocket(port);
    const extraClosed = await extra.closedWithin(1_000);
    for (const raw of held) raw.socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const later = await openRawSocket(port);
    later.socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    await later.closedWithin(2_000);

    expect(extraClosed).toBeGreaterThanOrEqual(0);
    expect(extra.received()).toBe('');
    expect(parseResponse(later.received()).status).toBe(200);
  });

  test('When an unauthenticated client sends a large body slowly, then it gets its 401 and the connection is closed without reading the rest', async () => {
    const raw = await openRawSocket(port);
    raw.socket.write('POST /scenarios/user HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{"tag":');
    const trickle = setInterval(() => raw.socket.write(' '), 50);

    const ms = await raw.closedWithin(900);
    clearInterval(trickle);
    const response = parseResponse(raw.received());

    assertMatchesContract({ method: 'post', url: '/scenarios/user', status: response.status, contentType: response.headers['content-type'], body: response.body });
    expect(response.status).toBe(401);
    expect(response.headers.connection).toBe('close');
    // Well before REQUEST_UPLOAD_TIMEOUT_MS (1 s): the close follows the 401, not the upload timeout.
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(ms).toBeLessThan(900);
  });
});

import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { useTestApp } from '../../support/app';
import { assertMatchesContract } from '../../support/contract';
import { countRowsByTag, uniqueTag } from '../../support/database';
import { http } from '../../support/http';
import type { Snapshot } from './support/snapshot-checks';

const testApp = useTestApp({ BODY_LIMIT_BYTES: '1024', MAX_IMPORT_BYTES: '60000' });

async function snapshotOfUserWithOrders(): Promise<Snapshot> {
  const tag = uniqueTag('lim');
  await http(testApp.app).post('/scenarios/user-with-orders').send({ tag, params: { orders: 2 } }).expect(201);
  return (await http(testApp.app).get(`/tags/${tag}/export`).expect(200)).body as Snapshot;
}

describe('POST /tags/{tag}/import body limits', () => {
  test('When the snapshot is larger than BODY_LIMIT_BYTES but within MAX_IMPORT_BYTES, then it is imported, gzipped too, while other routes keep the JSON limit', async () => {
    const snapshot = await snapshotOfUserWithOrders();
    const body = JSON.stringify(snapshot);
    expect(body.length).toBeGreaterThan(1024);

    const plain = uniqueTag('lim-plain');
    await http(testApp.app).post(`/tags/${plain}/import`).send(snapshot).expect(201);
    const zipped = uniqueTag('lim-gzip');
    const res = await request(testApp.app).post(`/tags/${zipped}/import`).set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').serialize((raw) => raw).send(gzipSync(body)).expect(201);
    assertMatchesContract({ method: 'post', url: `/tags/${zipped}/import`, status: res.status, contentType: res.headers['content-type'], body: res.body });

    expect(await countRowsByTag(zipped)).toEqual(await countRowsByTag(plain));
    expect((await countRowsByTag(plain)).orders).toBe(2);
    await http(testApp.app).post('/graphs').send({ tag: uniqueTag('lim-g'), graph: { users: [{ set: { first_name: 'x'.repeat(2000) } }] } }).expect(413);
  });

  test('When the snapshot exceeds MAX_IMPORT_BYTES, then 413 and nothing is written', async () => {
    const snapshot = await snapshotOfUserWithOrders();
    const tag = uniqueTag('lim-big');

    const res = await http(testApp.app).post(`/tags/${tag}/import`).send({ ...snapshot, padding: 'x'.repeat(70_000) }).expect(413);

    expect(res.body.detail).toMatch(/MAX_IMPORT_BYTES/);
    expect(Object.values(await countRowsByTag(tag)).every((n) => n === 0)).toBe(true);
  });

  test('When a gzip body is corrupt or the media type is not JSON, then 400 or 415', async () => {
    const tag = uniqueTag('lim-bad');
    const corrupt = await request(testApp.app).post(`/tags/${tag}/import`).set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').serialize((raw) => raw).send(Buffer.from('not gzip at all')).expect(400);
    assertMatchesContract({ method: 'post', url: `/tags/${tag}/import`, status: corrupt.status, contentType: corrupt.headers['content-type'], body: corrupt.body });
    await http(testApp.app).post(`/tags/${tag}/import`).set('Content-Type', 'text/plain').send('hello').expect(415);
  });
});

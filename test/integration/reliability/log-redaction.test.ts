import { Writable } from 'node:stream';
import { createApp } from '../../../src/app';
import { createLogger } from '../../../src/logger';
import { useTestApp } from '../../support/app';
import { http } from '../../support/http';

const KEY = 'log-redaction-key-0123456789abcdef';
const testApp = useTestApp({ TESTAPI_API_KEY: KEY });

function appLoggingTo(sink: string[]): ReturnType<typeof createApp> {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      sink.push(chunk.toString('utf8'));
      done();
    },
  });
  return createApp({ config: testApp.config, db: testApp.db, logger: createLogger('info', stream), metrics: testApp.metrics });
}

describe('Request logs never show a key sent in the wrong place', () => {
  test.each([
    ['X-Api-Key', (secret: string) => ({ headers: { 'X-Api-Key': secret }, query: '' })],
    ['Proxy-Authorization', (secret: string) => ({ headers: { 'Proxy-Authorization': `Bearer ${secret}` }, query: '' })],
    ['a made-up header', (secret: string) => ({ headers: { 'X-Custom-Token': secret }, query: '' })],
    ['?access_token=', (secret: string) => ({ headers: {}, query: `?access_token=${secret}&limit=5` })],
    ['?api_key= on an unknown route', (secret: string) => ({ headers: {}, query: `?api_key=${encodeURIComponent(secret)}` })],
  ])('When a key arrives as %s, then the request is refused and its value appears in no log line', async (_where, place) => {
    const secret = `${KEY}-wrong-place`;
    const lines: string[] = [];
    const { headers, query } = place(secret);
    const request = http(appLoggingTo(lines)).get(`/tags${query}`).set('X-Request-Id', 'redaction-check');
    for (const [name, value] of Object.entries(headers as Record<string, string>)) request.set(name, value);

    const res = await request.expect(401);

    expect(res.body).toMatchObject({ status: 401 });
    const logged = lines.join('\n');
    expect(logged).not.toContain(secret);
    expect(logged).not.toContain(encodeURIComponent(secret));
    const entry = lines.map((line) => JSON.parse(line) as { req?: { id?: string; url?: string; headers?: Record<string, string>; otherHeaders?: string[] } }).find((line) => line.req?.id === 'redaction-check');
    // Still useful: the path, the query parameter names, the allow-listed headers, the other headers by name.
    expect(entry?.req?.url).toMatch(/^\/tags(\?[a-z_&]+)?$/);
    expect(entry?.req?.headers?.['x-request-id']).toBe('redaction-check');
    for (const name of Object.keys(headers)) expect(entry?.req?.otherHeaders).toContain(name.toLowerCase());
  });

  test('When the right header carries the key, then the log shows that it was present, never its value', async () => {
    const lines: string[] = [];

    await http(appLoggingTo(lines)).get('/tags?limit=1').set('Authorization', `Bearer ${KEY}`).set('X-Request-Id', 'redaction-ok').expect(200);

    const entry = lines.map((line) => JSON.parse(line) as { req?: { id?: string; url?: string; headers?: Record<string, string> } }).find((line) => line.req?.id === 'redaction-ok');
    expect(entry?.req?.headers?.authorization).toBe('[redacted]');
    expect(entry?.req?.url).toBe('/tags?limit');
    expect(lines.join('\n')).not.toContain(KEY);
  });
});

import { Writable } from 'node:stream';
import { createApp } from '../../src/app';
import { ConfigError, loadConfig, type LogFormat } from '../../src/config';
import { createLogger, resolveLogFormat } from '../../src/logger';
import { useTestApp } from '../support/app';
import { countRowsByTag, uniqueTag } from '../support/database';
import { http } from '../support/http';

const testApp = useTestApp();

function appLoggingTo(sink: string[], format: LogFormat = 'json'): ReturnType<typeof createApp> {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      sink.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger('info', stream, format);
  return createApp({ config: testApp.config, db: testApp.db, logger, metrics: testApp.metrics });
}

interface Line {
  level: number;
  req?: { id?: string; method?: string; url?: string; headers?: Record<string, string> };
  res?: unknown;
  route?: string;
  status?: number;
  ms?: number;
  tag?: string;
  msg?: string;
}

const requestLine = (lines: string[], id: string): Line | undefined => lines.map((line) => JSON.parse(line) as Line).find((line) => line.req?.id === id);

describe('Request logs', () => {
  test('When a request carries an Authorization header, then the request log redacts it and names the request id', async () => {
    const lines: string[] = [];

    await http(appLoggingTo(lines)).get('/nothing-here').set('Authorization', 'Bearer super-secret-token-123').set('X-Request-Id', 'log-check-1').expect(404);

    expect(requestLine(lines, 'log-check-1')?.req?.headers?.authorization).toBe('[redacted]');
    expect(lines.join('\n')).not.toContain('super-secret-token-123');
  });

  test('When a scenario is provisioned under a tag, then one short line has method, route pattern, status, duration, request id and tag, and no response headers', async () => {
    const lines: string[] = [];
    const tag = uniqueTag('log-line');

    await http(appLoggingTo(lines)).post('/scenarios/user').set('X-Request-Id', 'log-line-1').set('User-Agent', 'curl/8.5.0').send({ tag, params: { addresses: 1 } }).expect(201);

    const entries = lines.filter((line) => line.includes('log-line-1'));
    expect(entries).toHaveLength(1);
    expect(JSON.parse(entries[0]!)).toEqual({
      level: 30,
      time: expect.any(Number),
      service: 'testapi',
      req: expect.objectContaining({ id: 'log-line-1', method: 'POST', url: '/scenarios/user' }),
      route: '/scenarios/:name',
      status: 201,
      ms: expect.any(Number),
      tag,
      msg: expect.stringMatching(/^POST \/scenarios\/user 201 \d+ms$/),
    });
    // pino-http's default line was ~1,150 bytes, mostly helmet's response headers.
    expect(Buffer.byteLength(entries[0]!)).toBeLessThan(500);
    expect(entries[0]).not.toContain('content-security-policy');
    expect(await countRowsByTag(tag)).toMatchObject({ users: 1, addresses: 1 });
  });

  test('When the service chooses the tag, then the line names the tag it chose', async () => {
    const lines: string[] = [];

    const res = await http(appLoggingTo(lines)).post('/scenarios/catalog').set('X-Request-Id', 'log-line-2').send({ params: { products: 1 } }).expect(201);

    expect(requestLine(lines, 'log-line-2')).toMatchObject({ route: '/scenarios/:name', status: 201, tag: res.body.tag });
    expect((await countRowsByTag(res.body.tag)).products).toBe(1);
  });

  test('When a request about a tag fails, then the line is a warning that still names the route pattern and the tag', async () => {
    const lines: string[] = [];
    const tag = uniqueTag('log-missing');

    await http(appLoggingTo(lines)).get(`/tags/${tag}`).set('X-Request-Id', 'log-line-3').expect(404);

    expect(requestLine(lines, 'log-line-3')).toMatchObject({ level: 40, route: '/tags/:tag', status: 404, tag, msg: expect.stringMatching(new RegExp(`^GET /tags/${tag} 404 \\d+ms$`)) });
  });

  test('When the format is pretty, then each request is one readable line with its request id and tag', async () => {
    const lines: string[] = [];
    const tag = uniqueTag('log-pretty');

    await http(appLoggingTo(lines, 'pretty')).post('/scenarios/user').set('X-Request-Id', 'log-pretty-1').send({ tag }).expect(201);

    const entries = lines.filter((line) => line.includes('log-pretty-1'));
    expect(entries).toEqual([expect.stringMatching(new RegExp(`^\\[[\\d:.]+\\] INFO: POST /scenarios/user 201 \\d+ms \\[log-pretty-1\\] tag=${tag}$`))]);
    expect((await countRowsByTag(tag)).users).toBe(1);
  });
});

describe('LOG_FORMAT', () => {
  test('When unset, then logs are pretty for a terminal and JSON for anything else; json or pretty overrides', () => {
    const unset = loadConfig({}).logFormat;

    expect([resolveLogFormat(unset, true), resolveLogFormat(unset, false)]).toEqual(['pretty', 'json']);
    expect(resolveLogFormat(loadConfig({ LOG_FORMAT: 'json' }).logFormat, true)).toBe('json');
    expect(resolveLogFormat(loadConfig({ LOG_FORMAT: 'Pretty' }).logFormat, false)).toBe('pretty');
  });

  test('When LOG_FORMAT is neither json nor pretty, then start-up fails naming the variable', () => {
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(new ConfigError('LOG_FORMAT', 'expected json or pretty, got "xml"'));
  });
});

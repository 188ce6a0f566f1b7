import { Writable } from 'node:stream';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { buildTestApp, type TestApp } from '../support/app';
import { http } from '../support/http';

let testApp: TestApp;
const lines: string[] = [];

beforeAll(async () => {
  testApp = await buildTestApp();
});
afterAll(async () => {
  await testApp.close();
});

function appLoggingTo(sink: string[]): ReturnType<typeof createApp> {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      sink.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger('info', stream);
  return createApp({ config: testApp.config, db: testApp.db, logger, metrics: testApp.metrics });
}

describe('Request logs', () => {
  test('When a request carries an Authorization header, then the request log redacts it and names the request id', async () => {
    const app = appLoggingTo(lines);

    await http(app).get('/nothing-here').set('Authorization', 'Bearer super-secret-token-123').set('X-Request-Id', 'log-check-1').expect(404);

    const entry = lines.map((line) => JSON.parse(line) as { req?: { id?: string; headers?: Record<string, string> } }).find((line) => line.req?.id === 'log-check-1');
    expect(entry?.req?.headers?.authorization).toBe('[redacted]');
    expect(lines.join('\n')).not.toContain('super-secret-token-123');
  });
});

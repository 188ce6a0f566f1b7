import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runCli } from '../support/cli';

// What a user sees when the CLI fails for a reason it can foresee: one line on
// stderr and the documented exit code; the stack only with --debug. Fake
// servers stand in for what is not testapi (a proxy page, another service).
const testapi = runCli;

const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');

let fake: http.Server;
let fakeUrl: string;
let closedUrl: string;

beforeAll(async () => {
  fake = http.createServer((req, res) => {
    if (req.url?.startsWith('/html-ok/')) {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!DOCTYPE html><html><body>Welcome to nginx</body></html>');
    } else if (req.url?.startsWith('/empty-json/')) {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    } else {
      res.writeHead(502, 'Bad Gateway', { 'Content-Type': 'text/html' }).end('<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<h1>502</h1>\n</body>\n</html>\n');
    }
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  // A port that was free a moment ago: connecting to it is refused.
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise((resolve) => probe.close(resolve));
});
afterAll(async () => {
  await new Promise((resolve) => fake.close(resolve));
});

describe('testapi with a malformed setting', () => {
  test('When TESTAPI_URL lacks the scheme, then it exits 2 with one line saying the URL must start with http:// or https://', async () => {
    const run = await testapi(['tags'], { TESTAPI_URL: '127.0.0.1:3000' });

    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: 'testapi: TESTAPI_URL must start with http:// or https://, e.g. http://127.0.0.1:3000; got "127.0.0.1:3000"\n',
    });
  });

  test('When --url has another scheme, then it exits 2 naming --url, before any request', async () => {
    const run = await testapi(['scenarios', '--url', 'ftp://127.0.0.1:3000']);

    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual(['testapi: --url must start with http:// or https://, e.g. http://127.0.0.1:3000; got "ftp://127.0.0.1:3000"']);
  });

  test('When TESTAPI_API_KEY holds a line break, then it exits 2 with one line that does not print the key', async () => {
    const run = await testapi(['tags'], { TESTAPI_URL: fakeUrl, TESTAPI_API_KEY: 'secret-key-part-one\nsecret-part-two' });

    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual(['testapi: TESTAPI_API_KEY holds a space, line break or non-ASCII character: check how it was set']);
  });

  test('When --debug is given, then the same failure also prints its stack', async () => {
    const run = await testapi(['tags', '--debug'], { TESTAPI_URL: '127.0.0.1:3000' });

    expect(run.code).toBe(2);
    expect(lines(run.stderr)[0]).toBe('testapi: TESTAPI_URL must start with http:// or https://, e.g. http://127.0.0.1:3000; got "127.0.0.1:3000"');
    expect(run.stderr).toMatch(/\n {4}at /);
  });
});

describe('testapi when something else answers', () => {
  test('When the connection is refused, then it exits 1 with one line naming the URL and the reason', async () => {
    const run = await testapi(['tags'], { TESTAPI_URL: closedUrl });

    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([`testapi: Cannot reach testapi at ${closedUrl}: ECONNREFUSED. Is it running, and is the URL right?`]);
  });

  test('When a proxy answers 502 with an HTML page, then it exits 1 with one line instead of the page', async () => {
    const run = await testapi(['tags'], { TESTAPI_URL: `${fakeUrl}/proxy` });

    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual(['testapi: HTTP 502 Bad Gateway: an HTML page, not a testapi answer: is the URL right?']);
  });

  test('When another server answers 200 with HTML, then it exits 1 saying the answer is not JSON', async () => {
    const run = await testapi(['scenarios'], { TESTAPI_URL: `${fakeUrl}/html-ok` });

    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([`testapi: the answer from ${fakeUrl}/html-ok is not JSON: is that a testapi service?`]);
  });

  test('When an answer has an unexpected shape, then it exits 1 with one line and points at --debug', async () => {
    const run = await testapi(['tags'], { TESTAPI_URL: `${fakeUrl}/empty-json` });

    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(/^testapi: unexpected error: .+ \(run again with --debug for the stack\)$/)]);
  });
});

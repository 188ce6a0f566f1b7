import http from 'node:http';
import type { AddressInfo } from 'node:net';
import YAML from 'yaml';
import { launchChromium, type TestBrowser } from '../support/chromium';
import { assertMatchesContract } from '../support/contract';
import { startServerProcess, type ServerProcess } from '../support/server-process';

// "Try it out" on /docs must call the service that serves the page: on a port
// other than 3000, and behind a proxy that serves it under a path prefix.
// A real Chromium clicks through Swagger UI (Debian's chromium package, as in CI).
const PREFIX = '/qa/testapi';

let server: ServerProcess;
let proxy: http.Server;
let proxyUrl: string;
let browser: TestBrowser;

/** A reverse proxy that serves the service under PREFIX and strips it, as nginx's `proxy_pass http://svc/;` does. */
function prefixProxy(target: string): http.Server {
  return http.createServer((req, res) => {
    if (!req.url?.startsWith(`${PREFIX}/`)) {
      res.writeHead(404).end('not under the prefix');
      return;
    }
    const upstream = http.request(`${target}${req.url.slice(PREFIX.length)}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
}

beforeAll(async () => {
  server = await startServerProcess({ DATABASE_URL: process.env.DATABASE_URL! });
  proxy = prefixProxy(server.url);
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}${PREFIX}`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => proxy?.close(resolve));
  await server?.stop();
});

async function tryListScenarios(docsUrl: string): Promise<{ pageUrl: string; requestUrl: string; status: string; body: unknown }> {
  const page = await browser.context.newPage();
  try {
    await page.goto(docsUrl);
    const pageUrl = page.url();
    await page.click('#operations-scenarios-listScenarios .opblock-summary');
    await page.click('#operations-scenarios-listScenarios .try-out__btn');
    const answer = page.waitForResponse((response) => response.url().endsWith('/scenarios'));
    await page.click('#operations-scenarios-listScenarios .execute');
    const response = await answer;
    const status = await page.locator('#operations-scenarios-listScenarios .live-responses-table tbody .response-col_status').first().innerText();
    return { pageUrl, requestUrl: response.url(), status: status.trim(), body: await response.json() };
  } finally {
    await page.close();
  }
}

describe('GET /docs "Try it out"', () => {
  test('When the service runs on a port other than 3000, then the served contract names a relative server and the docs page calls this service', async () => {
    expect(server.port).not.toBe(3000);
    const served = YAML.parse(await (await fetch(`${server.url}/openapi.yaml`)).text()) as { servers: { url: string }[] };
    expect(served.servers.map((entry) => entry.url)).toEqual(['.']);

    const tried = await tryListScenarios(`${server.url}/docs`);

    expect(tried).toMatchObject({ pageUrl: `${server.url}/docs/`, requestUrl: `${server.url}/scenarios`, status: '200' });
    assertMatchesContract({ method: 'GET', url: '/scenarios', status: 200, contentType: 'application/json', body: tried.body });
  }, 60_000);

  test('When the service is served behind a proxy under a path prefix, then /docs keeps the prefix and the try-it call goes through the proxy', async () => {
    const tried = await tryListScenarios(`${proxyUrl}/docs`);

    expect(tried).toMatchObject({ pageUrl: `${proxyUrl}/docs/`, requestUrl: `${proxyUrl}/scenarios`, status: '200' });
    assertMatchesContract({ method: 'GET', url: '/scenarios', status: 200, contentType: 'application/json', body: tried.body });
  }, 60_000);
});

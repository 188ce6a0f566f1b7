import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { assertMatchesContract } from '../support/contract';
import { useChinookScenarioFiles } from '../support/chinook-scenario-files';
import { logEntries, startServerProcess, type ServerProcess } from '../support/server-process';
import { until } from '../support/until';

const ARTIST = 'name: artist-with-albums\nversion: 1\ngraph:\n  artist:\n    - as: artist\n      album: [{ count: 2 }]\n';

const chinook = useChinookScenarioFiles('reload-workers');

interface LogLine {
  msg?: string;
  pid?: number;
  route?: string;
  level?: number;
}

const entries = (server: ServerProcess): LogLine[] => logEntries<LogLine>(server);

/** On a connection of its own (no keep-alive): the primary hands each new connection to the next worker. */
function call(server: ServerProcess, method: 'GET' | 'POST', route: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${server.url}${route}`, { method, agent: false, headers: { connection: 'close' } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        const body = JSON.parse(text) as unknown;
        assertMatchesContract({ method: method.toLowerCase(), url: route, status: response.statusCode ?? 0, contentType: response.headers['content-type'], body });
        resolve({ status: response.statusCode ?? 0, body });
      });
    });
    request.on('error', reject);
    request.end();
  });
}

describe('POST /schema/reload with TESTAPI_WORKERS=2', () => {
  test('When one worker answers the reload, then the other logs that it reloaded and why, every connection is offered the new scenario, and SIGTERM still exits at once', async () => {
    const server = await startServerProcess({ DATABASE_URL: chinook.url, TESTAPI_TARGET_SCHEMAS: 'public', TESTAPI_SCENARIOS_DIR: chinook.dir, TESTAPI_WORKERS: '2' }, 30_000);
    let stopped = false;
    try {
      const workers = await until(
        'both workers listen',
        () => {
          const pids = new Set(entries(server).filter((entry) => entry.msg?.startsWith('testapi listening')).map((entry) => entry.pid));
          return pids.size === 2 ? [...pids] : undefined;
        },
        30_000,
      );
      fs.writeFileSync(path.join(chinook.dir, 'artist.yaml'), ARTIST);

      expect((await call(server, 'POST', '/schema/reload')).status).toBe(200);

      const answeredBy = await until('the reload is logged', () => entries(server).find((entry) => entry.route === '/schema/reload')?.pid);
      const other = workers.find((pid) => pid !== answeredBy);
      const line = await until('the other worker says it reloaded', () => entries(server).find((entry) => entry.pid === other && entry.msg?.startsWith('schema and scenario files reloaded')), 2_000);
      expect(line.msg).toMatch(new RegExp(`:${answeredBy} answered POST /schema/reload \\(generation \\d+\\)$`));
      expect(entries(server).filter((entry) => entry.msg?.startsWith('schema and scenario files reloaded')).map((entry) => entry.pid)).toEqual([other]);
      // Fresh connections alternate between the workers: four in a row reach both, twice each.
      for (let i = 0; i < 4; i += 1) {
        const listed = await call(server, 'GET', '/scenarios');
        expect((listed.body.scenarios as Array<{ name: string }>).map((scenario) => scenario.name)).toContain('artist-with-albums');
      }

      const { code, ms } = await server.stop('SIGTERM');
      stopped = true;
      expect(code).toBe(0);
      expect(ms).toBeLessThan(5_000);
      expect(entries(server).filter((entry) => (entry.level ?? 0) >= 40)).toEqual([]);
    } finally {
      if (!stopped) await server.stop('SIGKILL');
    }
  }, 60_000);
});

import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { loadConfig } from '../../../src/config';

const ROOT = path.join(__dirname, '..', '..', '..');
const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const compose = YAML.parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, { environment?: Record<string, string> | string[] }>;
};

/** Dockerfile instructions with their continuation lines joined, comments dropped. */
function instructions(text: string): string[] {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}

function environmentOf(service: string): Record<string, string> {
  const environment = compose.services[service]?.environment ?? {};
  if (!Array.isArray(environment)) return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, String(value)]));
  return Object.fromEntries(environment.map((entry) => [entry.split('=')[0], entry.split('=').slice(1).join('=')]));
}

describe('Dockerfile', () => {
  const lines = instructions(dockerfile);
  const runtimeStage = lines.slice(lines.findLastIndex((line) => /^FROM /i.test(line)));

  test('When the image runs, then TESTAPI_ENV=test is set in the runtime stage', () => {
    const env = runtimeStage.filter((line) => /^ENV /i.test(line)).join(' ');

    expect(env).toMatch(/\bTESTAPI_ENV=test\b/);
  });

  test('When the image is built, then it never sets NODE_ENV=production nor TESTAPI_ALLOW_PRODUCTION', () => {
    const settings = lines.filter((line) => /^(ENV|ARG|RUN|CMD|ENTRYPOINT) /i.test(line)).join('\n');

    expect(settings).not.toMatch(/NODE_ENV\s*=\s*"?production/i);
    expect(settings).not.toMatch(/NODE_ENV\s+"?production/i);
    expect(settings).not.toMatch(/TESTAPI_ALLOW_PRODUCTION/);
  });
});

describe('docker-compose.yml', () => {
  const environment = environmentOf('testapi');

  test('When the service starts under compose, then it requires an API key that the service accepts', () => {
    expect(environment.TESTAPI_API_KEY).toEqual(expect.any(String));
    const config = loadConfig({ ...environment, LOG_LEVEL: 'silent' });

    expect(config.apiKeys.length).toBeGreaterThan(0);
  });

  test('When the service starts under compose, then it does not claim production nor override the guard', () => {
    expect(environment.NODE_ENV?.toLowerCase()).not.toBe('production');
    expect(environment.TESTAPI_ENV?.toLowerCase()).not.toBe('production');
    expect(environment).not.toHaveProperty('TESTAPI_ALLOW_PRODUCTION');
  });
});

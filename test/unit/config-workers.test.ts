import os from 'node:os';
import { ConfigError, loadConfig } from '../../src/config';
import { resolveWorkers } from '../../src/cluster';

describe('TESTAPI_WORKERS', () => {
  test('When unset, then one process serves (no cluster)', () => {
    expect(loadConfig({}).workers).toBe(1);
  });

  test('When auto, then one worker per available core', () => {
    const config = loadConfig({ TESTAPI_WORKERS: 'auto' });
    expect(config.workers).toBe('auto');
    expect(resolveWorkers(config.workers)).toBe(os.availableParallelism());
  });

  test('When a number, then that many workers', () => {
    expect(resolveWorkers(loadConfig({ TESTAPI_WORKERS: '3' }).workers)).toBe(3);
  });

  test.each(['0', 'two', '-1', '1.5', '257'])('When %s, then start-up fails naming TESTAPI_WORKERS', (value) => {
    expect(() => loadConfig({ TESTAPI_WORKERS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ TESTAPI_WORKERS: value })).toThrow(/^Invalid TESTAPI_WORKERS: expected auto or a whole number from 1 to 256/);
  });
});

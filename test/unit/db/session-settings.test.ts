import { ConfigError, loadConfig } from '../../../src/config';
import { mergeSessionOptions, ownSessionSettings, parseSessionOptions } from '../../../src/db/session-settings';

const BASE = 'postgres://app:secret@db.example:5432/app';
const url = (options: string): string => `${BASE}?sslmode=disable&options=${encodeURIComponent(options)}`;

describe('DATABASE_URL ?options= and testapi\'s own session settings', () => {
  test('When the URL sets settings of its own, then they are sent together with testapi\'s, and the URL keeps its other parameters', () => {
    const merged = mergeSessionOptions(url('-c work_mem=64MB --statement_mem=1'), ownSessionSettings('testapi'));

    expect(new URL(merged.url).searchParams.get('options')).toBeNull();
    expect(new URL(merged.url).searchParams.get('sslmode')).toBe('disable');
    expect(parseSessionOptions(merged.options)).toEqual([
      { name: 'work_mem', value: '64MB' },
      { name: 'statement_mem', value: '1' },
      { name: 'search_path', value: 'testapi' },
      { name: 'jit', value: 'off' },
      { name: 'DateStyle', value: 'ISO,MDY' },
      { name: 'IntervalStyle', value: 'postgres' },
      { name: 'extra_float_digits', value: '1' },
      { name: 'TimeZone', value: 'UTC' },
      { name: 'bytea_output', value: 'hex' },
    ]);
  });

  test('When the URL sets what testapi sets, to the same value (-c jit=off), then it is sent once and the service starts', () => {
    expect(() => loadConfig({ DATABASE_URL: url('-c jit=off') })).not.toThrow();
    const merged = mergeSessionOptions(url('-c JIT=OFF'), ownSessionSettings());

    expect(parseSessionOptions(merged.options).filter((setting) => setting.name.toLowerCase() === 'jit')).toEqual([{ name: 'JIT', value: 'OFF' }]);
  });

  test('When a value holds a blank, then it is escaped as libpq reads it', () => {
    const merged = mergeSessionOptions(url('-c application_tag=a\\ b'), ownSessionSettings());

    expect(merged.options.startsWith('-c application_tag=a\\ b ')).toBe(true);
    expect(parseSessionOptions(merged.options)[0]).toEqual({ name: 'application_tag', value: 'a b' });
  });

  test.each([
    ['-c jit=on', 'options set jit=on, but testapi\'s sessions need jit=off'],
    ['-c search_path=public', 'options set search_path=public, but testapi\'s sessions need search_path=testapi'],
    ['-c TimeZone=Europe/Berlin', 'options set TimeZone=Europe/Berlin, but testapi\'s sessions need TimeZone=UTC'],
    ['-c statement_timeout=5s', 'options set statement_timeout=5s, which testapi sets for its sessions from STATEMENT_TIMEOUT_MS'],
    ['-E', 'options: expected "-c name=value" settings, got "-E"'],
  ])('When the URL\'s options say %s, then the service refuses to start with one line naming it', (options, message) => {
    let error: unknown;
    try {
      loadConfig({ DATABASE_URL: url(options), TESTAPI_TARGET_SCHEMAS: 'public' });
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('DATABASE_URL');
    expect((error as ConfigError).message).toContain(message);
    expect((error as ConfigError).message).not.toContain('secret');
    expect((error as ConfigError).message).not.toContain('\n');
  });
});

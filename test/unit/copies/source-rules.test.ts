import path from 'node:path';
import { ConfigError, loadConfig } from '../../../src/config';
import { parseSourceRules } from '../../../src/copies/source-rules';

const RULES_FILE = path.join(__dirname, '..', '..', 'fixtures', 'copies', 'pii-rules.yaml');
const SOURCES = 'staging=postgres://reader@127.0.0.1/app';

describe('TESTAPI_SOURCE_RULES', () => {
  test('When the file gives keep, mask, null and fake rules, then each column gets its rule', () => {
    const rules = parseSourceRules(
      `sources:
  staging:
    customer: { company: keep, notes: mask, fax: null, nickname: "null", email: { fake: email }, title: fake }
    billing.invoice: { memo: mask }
`,
      ['staging'],
    );

    expect(rules).toEqual({
      staging: {
        customer: { company: { rule: 'keep' }, notes: { rule: 'mask' }, fax: { rule: 'null' }, nickname: { rule: 'null' }, email: { rule: 'fake', kind: 'email' }, title: { rule: 'fake', kind: '' } },
        'billing.invoice': { memo: { rule: 'mask' } },
      },
    });
  });

  test('When the file is JSON, then it is read the same', () => {
    expect(parseSourceRules('{"sources": {"staging": {"customer": {"company": "keep"}}}}', ['staging'])).toEqual({ staging: { customer: { company: { rule: 'keep' } } } });
  });

  test('When the service starts with the file beside TESTAPI_SOURCES, then the config holds its rules', () => {
    const config = loadConfig({ TESTAPI_SOURCES: SOURCES, TESTAPI_SOURCE_RULES: RULES_FILE });

    expect(config.sourceRules.staging?.person).toEqual({ country_code: { rule: 'keep' }, bio: { rule: 'mask' } });
    expect(config.copySecret).toBeUndefined();
  });

  test.each([
    ['sources:\n  staging:\n    customer: { company: hash }', /\/sources\/staging\/customer\/company.*keep, mask, null, fake/],
    ['sources:\n  staging:\n    customer: { email: { fake: telepathy } }', /\/sources\/staging\/customer\/email/],
    ['sources:\n  production:\n    customer: { company: keep }', /no source "production" in TESTAPI_SOURCES \(staging\)/],
    ['rules: {}', /must have required property 'sources'/],
    ['sources: [', /not YAML or JSON/],
  ])('When the file holds %j, then start-up fails naming TESTAPI_SOURCE_RULES and the entry', (text, message) => {
    expect(() => parseSourceRules(text, ['staging'])).toThrow(message);
  });

  test('When the file cannot be read, then start-up fails naming the variable and the file', () => {
    expect(() => loadConfig({ TESTAPI_SOURCES: SOURCES, TESTAPI_SOURCE_RULES: path.join(__dirname, 'no-such-rules.yaml') })).toThrow(
      new ConfigError('TESTAPI_SOURCE_RULES', `${path.join(__dirname, 'no-such-rules.yaml')}: cannot read ${path.join(__dirname, 'no-such-rules.yaml')} (ENOENT)`),
    );
  });

  test('When the retired TESTAPI_ANONYMIZE is set, then start-up fails pointing to the rules file', () => {
    expect(() => loadConfig({ TESTAPI_ANONYMIZE: 'customer.company=hash' })).toThrow(/TESTAPI_ANONYMIZE: is replaced by TESTAPI_SOURCE_RULES/);
  });

  test('When TESTAPI_COPY_SECRET is too short, then start-up fails without echoing it', () => {
    let error: unknown;
    try {
      loadConfig({ TESTAPI_COPY_SECRET: 'hunter2-hunter2' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/TESTAPI_COPY_SECRET: expected at least 32 characters \(got 15\)/);
    expect((error as Error).message).not.toContain('hunter2');
    expect(loadConfig({ TESTAPI_COPY_SECRET: 's'.repeat(32) }).copySecret).toBe('s'.repeat(32));
  });
});

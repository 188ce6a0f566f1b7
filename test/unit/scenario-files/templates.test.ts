import { AppError } from '../../../src/errors';
import { createRandomSources } from '../../../src/provisioning/seeded-random';
import { parseTemplate, resolveTemplate, type Template } from '../../../src/scenario-files/templates';

const scope = { paramTypes: new Map([['invoices', 'integer'], ['country', 'string']]) };

function resolve(text: string, params: Record<string, unknown> = {}, seed = 1): unknown {
  const template = parseTemplate(text, scope);
  if (typeof template === 'string') throw new Error(template);
  return resolveTemplate(template as Template, { params, faker: createRandomSources(seed).faker });
}

describe('The template vocabulary of scenario files', () => {
  test('When a value is one template, then it keeps the param\'s type; with text around, it is a string', () => {
    expect(resolve('{{params.invoices}}', { invoices: 3 })).toBe(3);
    expect(resolve('{{ params.invoices }} invoices in {{params.country}}', { invoices: 3, country: 'Norway' })).toBe('3 invoices in Norway');
    expect(resolve('no templates here')).toBe('no templates here');
  });

  test('When a date is relative, then it counts days from the reference date 2025-01-01, literally or from an integer param', () => {
    expect(resolve('{{date.daysAgo(30)}}')).toBe('2024-12-02T00:00:00.000Z');
    expect(resolve('{{date.daysFromNow(1)}}')).toBe('2025-01-02T00:00:00.000Z');
    expect(resolve('{{date.daysAgo(params.invoices)}}', { invoices: 2 })).toBe('2024-12-30T00:00:00.000Z');
  });

  test('When an integer param used as days is beyond 36,500 (the file declared no maximum), then resolving is a 400 naming the param, not a RangeError', () => {
    for (const invoices of [36_501, -36_501, 1e12]) {
      let thrown: unknown;
      try {
        resolve('{{date.daysAgo(params.invoices)}}', { invoices });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(AppError);
      expect(thrown).toMatchObject({ status: 400, errors: [{ path: 'params.invoices', message: expect.stringContaining('at most 36500') }] });
    }
    expect(resolve('{{date.daysFromNow(params.invoices)}}', { invoices: 36_500 })).toBe('2124-12-08T00:00:00.000Z');
  });

  test('When faker is named from the allow-list, then the seed decides the value', () => {
    expect(resolve('{{faker.person.firstName}}', {}, 5)).toBe(resolve('{{faker.person.firstName}}', {}, 5));
    expect(resolve('{{faker.person.firstName}}', {}, 5)).not.toBe(resolve('{{faker.person.firstName}}', {}, 6));
    expect(typeof resolve('{{faker.location.city}}')).toBe('string');
  });

  test.each([
    ['{{params.nope}}', /names no declared param/],
    ['{{date.daysAgo(params.country)}}', /whole number or an integer param/],
    ['{{date.daysAgo(99999)}}', /at most 36500 days/],
    ['{{faker.internet.password}}', /not in the allow-list/],
    ['{{faker.helpers.arrayElement}}', /not in the allow-list/],
    ['{{process.exit(1)}}', /not in the template vocabulary/],
    ["{{constructor.constructor('return 1')()}}", /not in the template vocabulary/],
    ['{{params.invoices', /unclosed or nested/],
    ['{{ {{params.invoices}} }}', /not in the template vocabulary|unclosed or nested/],
  ])('When a file says %s, then it is refused: %s', (text, message) => {
    expect(parseTemplate(text, scope)).toEqual(expect.stringMatching(message));
  });
});

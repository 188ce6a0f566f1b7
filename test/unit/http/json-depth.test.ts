import { AppError } from '../../../src/errors';
import { MAX_JSON_DEPTH, refuseDeepJson } from '../../../src/http/json-depth';

const nested = (depth: number, open = '[', close = ']'): Buffer => Buffer.from(`${open.repeat(depth)}${close.repeat(depth)}`);

describe('The JSON depth guard on request bodies', () => {
  test('When a body nests exactly MAX_JSON_DEPTH levels, then it passes; one more, and it is a 400 naming the body', () => {
    expect(() => refuseDeepJson(nested(MAX_JSON_DEPTH))).not.toThrow();
    expect(() => refuseDeepJson(Buffer.from(`${'{"a":'.repeat(MAX_JSON_DEPTH)}1${'}'.repeat(MAX_JSON_DEPTH)}`))).not.toThrow();
    let thrown: unknown;
    try {
      refuseDeepJson(nested(MAX_JSON_DEPTH + 1));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ status: 400, errors: [{ path: 'body', message: expect.stringContaining(`deeper than ${MAX_JSON_DEPTH} levels`) }] });
  });

  test('When brackets sit inside strings, escaped quotes included, then they do not count', () => {
    const text = JSON.stringify({ a: '['.repeat(2_000), b: `"${'{'.repeat(2_000)}\\"` });
    expect(() => refuseDeepJson(Buffer.from(text))).not.toThrow();
  });
});

import { validationError } from '../errors';

/**
 * The deepest nesting of arrays and objects a JSON body may have. Far beyond
 * any graph, state or jsonb value a test needs, and far below what the
 * recursive steps after parsing (validation, canonical JSON, value
 * formatting) can walk: a 100,000-deep array in a jsonb `set` overflowed the
 * stack and answered 500.
 */
export const MAX_JSON_DEPTH = 512;

const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Refuses a body nested deeper than MAX_JSON_DEPTH before it is parsed: one
 * pass over the bytes, skipping strings (brackets inside them do not count).
 * Runs as express.json()'s `verify` hook, so the 400 comes before any work.
 */
export function refuseDeepJson(body: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < body.length; index += 1) {
    const byte = body[index];
    if (inString) {
      if (byte === BACKSLASH) index += 1;
      else if (byte === QUOTE) inString = false;
      continue;
    }
    if (byte === QUOTE) inString = true;
    else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
      depth += 1;
      if (depth > MAX_JSON_DEPTH) {
        throw validationError([{ path: 'body', message: `body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels (at byte ${index})` }]);
      }
    } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) depth -= 1;
  }
}

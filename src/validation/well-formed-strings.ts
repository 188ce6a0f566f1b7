import { validationError, type FieldError } from '../errors';

/** Enough paths to act on; the rest is counted (a body of 100,000 bad strings must not answer 100,000 errors). */
const MAX_REPORTED = 20;

/**
 * JSON may carry lone UTF-16 surrogates ("\ud800"); PostgreSQL's UTF-8 cannot,
 * and pg would silently store U+FFFD instead, so the answer would echo a value
 * the database does not hold (or a tag the database spells differently). Every
 * string of the parsed body, keys included, must be well-formed: a 400 naming
 * each offending path, before the use case sees the body. One pass, iterative,
 * linear in the body's size.
 */
export function assertWellFormedStrings(body: unknown): void {
  const bad: string[] = [];
  let count = 0;
  const stack: Array<[unknown, string]> = [[body, '']];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      if (!isWellFormed(value)) {
        count += 1;
        if (bad.length < MAX_REPORTED) bad.push(path || 'body');
      }
    } else if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index -= 1) stack.push([value[index], `${path}[${index}]`]);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        const childPath = path ? `${path}.${key}` : key;
        if (!isWellFormed(key)) {
          count += 1;
          if (bad.length < MAX_REPORTED) bad.push(childPath);
          continue;
        }
        stack.push([child, childPath]);
      }
    }
  }
  if (count === 0) return;
  const errors: FieldError[] = bad.map((path) => ({ path: safePath(path), message: `${safePath(path)} holds a lone UTF-16 surrogate, which is not valid Unicode text` }));
  const more = count - bad.length;
  throw validationError(errors, `The request holds ${count} string(s) that are not valid Unicode text${more > 0 ? ` (first ${bad.length} listed, ${more} more)` : ''}.`);
}

function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

/** A path may itself hold the bad key's neighbours; keep it printable. */
function safePath(path: string): string {
  return (path as string & { toWellFormed(): string }).toWellFormed();
}

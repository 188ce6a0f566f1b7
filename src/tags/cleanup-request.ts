import { plainToInstance } from 'class-transformer';
import { Equals, IsInt, IsString, Matches, Max, Min, validateSync } from 'class-validator';
import { validationError } from '../errors';
import { Optional } from '../validation/dto-decorators';
import { toFieldErrors } from '../validation/field-errors';
import { TAG_PREFIX_MESSAGE, TAG_PREFIX_PATTERN } from './tag-name';
import type { TagSelection } from './tag.repository';

/** The body of POST /cleanup (openapi.yaml components/schemas/CleanupRequest). */
class CleanupRequestBody {
  @Optional()
  @Equals(true, { message: 'expired accepts only true (leave it out to not filter on expiry)' })
  expired?: true;

  @Optional()
  @IsInt({ message: 'olderThanSeconds must be a whole number of seconds' })
  // 0 would select every registered tag: that is {"all": true}, which must be said explicitly.
  @Min(1, { message: 'olderThanSeconds must be at least 1 (to delete every tag, send {"all": true})' })
  @Max(315_360_000)
  olderThanSeconds?: number;

  @Optional()
  @IsString()
  @Matches(TAG_PREFIX_PATTERN, { message: TAG_PREFIX_MESSAGE })
  prefix?: string;

  @Optional()
  @Equals(true, { message: 'all accepts only true' })
  all?: true;
}

const FILTERS = ['expired', 'olderThanSeconds', 'prefix'] as const;
const KNOWN = new Set<string>([...FILTERS, 'all']);
const SCALAR_OF: Record<string, string> = { expired: 'true', all: 'true', olderThanSeconds: 'a whole number of seconds', prefix: 'a string' };

/**
 * Validates a POST /cleanup body into a tag selection. Anything that is not a
 * clear, non-empty selection is a 400: never "delete everything" by accident.
 */
/**
 * Takes `dependents` out of a POST /cleanup body (it says how, not which tags):
 * "delete" also deletes rows outside the tags that reference their rows.
 */
export function splitCleanupDependents(body: unknown): { body: unknown; dependents: 'refuse' | 'delete' } {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !Object.hasOwn(body, 'dependents')) return { body, dependents: 'refuse' };
  const { dependents } = body as { dependents?: unknown };
  if (dependents !== 'delete') {
    throw validationError([{ path: 'dependents', message: 'dependents accepts only "delete" (leave it out to refuse when rows outside the tags reference them)' }]);
  }
  return { body: Object.fromEntries(Object.entries(body).filter(([key]) => key !== 'dependents')), dependents };
}

export function parseCleanupRequest(body: unknown): TagSelection {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw validationError(
      [{ path: 'body', message: 'send a JSON object such as {"expired": true}, {"prefix": "ci-"} or {"all": true}' }],
      'POST /cleanup needs a JSON object naming what to delete.',
    );
  }
  const given = Object.keys(body);
  // Unknown keys are refused before class-transformer sees them: a "__proto__" key would reach the instance's prototype.
  const unknown = given.filter((key) => !KNOWN.has(key));
  if (unknown.length > 0) {
    throw validationError(unknown.map((key) => ({ path: key, message: `property ${key} should not exist (filters: expired, olderThanSeconds, prefix, all)` })));
  }
  // Every filter is a scalar. A nested object must not reach class-transformer,
  // which takes its `constructor` key for a class and throws (a 500 found by fuzzing).
  const record = body as Record<string, unknown>;
  const nested = given.filter((key) => typeof record[key] === 'object' && record[key] !== null);
  if (nested.length > 0) {
    throw validationError(nested.map((key) => ({ path: key, message: `${key} must be ${SCALAR_OF[key] ?? 'a scalar'}, not an object or array` })));
  }
  const instance = plainToInstance(CleanupRequestBody, body);
  const errors = toFieldErrors(validateSync(instance, { forbidUnknownValues: true }), '');
  if (given.length === 0) {
    errors.push({ path: 'body', message: 'name at least one filter: expired, olderThanSeconds, prefix, or all' });
  }
  if (given.includes('all') && FILTERS.some((filter) => given.includes(filter))) {
    errors.push({ path: 'all', message: 'all stands alone: it cannot be combined with expired, olderThanSeconds or prefix' });
  }
  if (errors.length > 0) throw validationError(errors);

  const request = body as CleanupRequestBody;
  if (request.all) return { all: true };
  return {
    ...(request.expired ? { expired: true } : {}),
    ...(request.olderThanSeconds !== undefined ? { olderThanSeconds: request.olderThanSeconds } : {}),
    ...(request.prefix !== undefined ? { prefix: request.prefix } : {}),
  };
}

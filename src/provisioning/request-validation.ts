import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, IsInt, IsObject, IsString, Matches, Max, Min, validateSync } from 'class-validator';
import { validationError, type FieldError } from '../errors';
import { compiledVerdict } from './compiled-validation';
import { Optional } from '../validation/dto-decorators';
import { toFieldErrors } from '../validation/field-errors';
import type { ScenarioRecipe } from './scenario-recipe';
import { TAG_FORMAT_MESSAGE, TAG_PATTERN } from '../tags/tag-name';

export const MAX_SEED = 2_147_483_647;
export const MAX_TTL_SECONDS = 2_592_000;

/** The envelope every scenario shares; params and overrides are validated by the recipe's own DTOs. */
class ProvisionRequestBody {
  @Optional()
  @IsString()
  @Matches(TAG_PATTERN, { message: `tag ${TAG_FORMAT_MESSAGE}` })
  tag?: string;

  @Optional()
  @IsInt()
  @Min(0)
  @Max(MAX_SEED)
  seed?: number;

  @Optional()
  @IsInt()
  @Min(1)
  @Max(MAX_TTL_SECONDS)
  ttlSeconds?: number;

  @Optional()
  @IsObject()
  params?: Record<string, unknown>;

  @Optional()
  @IsObject()
  overrides?: Record<string, unknown>;
}

export interface ValidRequest<P, O> {
  tag: string | undefined;
  seed: number | undefined;
  ttlSeconds: number | undefined;
  /** DTO instances: defaults filled in, every field checked. */
  params: P;
  overrides: O;
  /** The body as received (for the idempotency hash and the unique-conflict paths). */
  body: Record<string, unknown>;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** The deepest body any scenario accepts is overrides.user.email (3); the margin is for readable errors. */
const MAX_DEPTH = 8;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withEmptyObjects(body: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const copy = { ...body };
  for (const key of keys) if (isPlainObject(copy[key])) copy[key] = {};
  return copy;
}

/**
 * No nested object of any scenario (overrides.user and the like) has more than a
 * handful of fields. A bigger one is refused before class-transformer walks it
 * (quadratic in its key count); params and overrides themselves list their unknown keys.
 */
const MAX_NESTED_FIELDS = 64;

/**
 * Checks what class-transformer must never see: keys that could reach an
 * object's prototype, pathological nesting (its recursion would overflow the
 * stack before class-validator reports the field as unknown) and NUL
 * characters (PostgreSQL text cannot hold them). Iterative on purpose.
 */
function unsafeParts(body: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: body, path: '', depth: 0 }];
  while (stack.length > 0 && errors.length < 20) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) errors.push({ path, message: `${path} must not contain NUL characters` });
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_DEPTH) {
      errors.push({ path, message: `${path} is nested too deeply` });
      continue;
    }
    const keys = Object.keys(value);
    if (depth >= 2 && keys.length > MAX_NESTED_FIELDS) {
      errors.push({ path, message: `${path} has ${keys.length} fields; no object at this depth takes more than ${MAX_NESTED_FIELDS}` });
      continue;
    }
    for (const key of keys) {
      const child = path === '' ? key : `${path}.${key}`;
      // Also valueOf, toString and the like: class-transformer lets Object.prototype's names through unchecked.
      if (FORBIDDEN_KEYS.has(key) || Object.prototype.hasOwnProperty.call(Object.prototype, key)) {
        errors.push({ path: child, message: `${child} is not a known field` });
        continue;
      }
      stack.push({ value: (value as Record<string, unknown>)[key], path: child, depth: depth + 1 });
    }
  }
  return errors;
}

const VALIDATOR_OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

const defaultsAreValid = new WeakMap<new () => object, boolean>();

/** Whether `{}` (all defaults) passes: then an empty object needs no validation run (measured ~0.1 ms a request). */
function acceptsEmpty(dto: new () => object): boolean {
  let accepts = defaultsAreValid.get(dto);
  if (accepts === undefined) {
    accepts = validateSync(plainToInstance(dto, {}), VALIDATOR_OPTIONS).length === 0;
    defaultsAreValid.set(dto, accepts);
  }
  return accepts;
}

function validateDto<T extends object>(dto: new () => T, plain: Record<string, unknown>, prefix: string): { value: T; errors: FieldError[] } {
  if (Object.keys(plain).length === 0 && acceptsEmpty(dto)) return { value: plainToInstance(dto, {}), errors: [] };
  const declared = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).length > 0;
  if (!declared) {
    // A DTO without fields (e.g. a scenario with no overrides) accepts only {}.
    const errors = Object.keys(plain).map((key) => ({ path: `${prefix}.${key}`, message: `${prefix}.${key} is not a known field (${prefix} takes no fields)` }));
    return { value: new dto(), errors };
  }
  // Unknown keys are answered here, in one linear pass, and only the known ones reach
  // class-validator: its whitelist check made a body of 100,000 unknown keys block the
  // event loop for seconds (one error object, and one metadata lookup, per key).
  const known = declaredFields(dto);
  const unknown = Object.keys(plain).filter((key) => !known.has(key));
  const unknownErrors = unknown.map((key) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return { path, message: `${path} is not a known field (allowed: ${[...known].join(', ')})` };
  });
  const value = plainToInstance(dto, unknown.length === 0 ? plain : Object.fromEntries(Object.entries(plain).filter(([key]) => known.has(key))));
  return { value, errors: [...unknownErrors, ...toFieldErrors(validateSync(value, VALIDATOR_OPTIONS), prefix)] };
}

const declaredFieldsOf = new WeakMap<new () => object, ReadonlySet<string>>();

function declaredFields(dto: new () => object): ReadonlySet<string> {
  let fields = declaredFieldsOf.get(dto);
  if (!fields) {
    fields = new Set(getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).map((entry) => entry.propertyName));
    declaredFieldsOf.set(dto, fields);
  }
  return fields;
}

/**
 * Validates a provisioning request against the envelope and the recipe's DTOs,
 * reporting every offending field at once. Throws a 400 problem; never writes.
 */
export function validateProvisionRequest<P extends object, O extends object>(
  recipe: ScenarioRecipe<P, O, unknown>,
  rawBody: unknown,
  options: { compiled?: boolean } = {},
): ValidRequest<P, O> {
  // A request without a body means "all defaults".
  const body = rawBody === undefined ? {} : rawBody;
  if (!isPlainObject(body)) {
    throw validationError([{ path: 'body', message: 'body must be a JSON object' }]);
  }
  const unsafe = unsafeParts(body);
  if (unsafe.length > 0) throw validationError(unsafe);

  // The hot path: the same rules compiled with ajv decide most bodies in microseconds; what they
  // reject (or cannot judge: non-empty overrides) is judged and worded by class-validator below.
  // `compiled: false` is the reference the property test compares against.
  if (options.compiled !== false) {
    const verdict = compiledVerdict(recipe as ScenarioRecipe<object, object, unknown>, body);
    if (verdict.ok) return { ...verdict.value, params: verdict.value.params as P, overrides: verdict.value.overrides as O, body };
  }

  // The envelope only checks that params and overrides are objects; their contents are the
  // recipe DTOs' job. Handing class-transformer the full objects costs it quadratic time in
  // their key count (it de-duplicates keys with indexOf), so it gets empty stand-ins.
  const envelope = validateDto(ProvisionRequestBody, withEmptyObjects(body, ['params', 'overrides']), '');
  const errors = [...envelope.errors];
  const paramsPlain = isPlainObject(body.params) ? body.params : {};
  const overridesPlain = isPlainObject(body.overrides) ? body.overrides : {};
  const params = validateDto(recipe.params, paramsPlain, 'params');
  const overrides = validateDto(recipe.overrides, overridesPlain, 'overrides');
  errors.push(...params.errors, ...overrides.errors);
  if (errors.length > 0) throw validationError(errors);

  return {
    tag: envelope.value.tag,
    seed: envelope.value.seed,
    ttlSeconds: envelope.value.ttlSeconds,
    params: params.value,
    overrides: overrides.value,
    body,
  };
}

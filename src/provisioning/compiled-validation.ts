import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { AnyRecipe, DtoClass } from './scenario-recipe';
import { dtoSchemas, inlineRefs, schemaOfDto, type JsonSchema } from './scenario-schemas';

/**
 * The hot path of provisioning validation: ajv functions compiled once from
 * the JSON Schemas class-validator-jsonschema derives from the DTOs, so
 * class-validator stays the one definition. plainToInstance + validateSync
 * cost ~5 % of the service's CPU per small request; a compiled check of the
 * same rules costs a few microseconds.
 *
 * It covers the envelope (tag, seed, ttlSeconds, params and overrides being
 * objects) and the recipe's params: integers with bounds and enums, which
 * JSON Schema states exactly. Overrides carry rules the derived schema cannot
 * express (reserved e-mail domains, length in UTF-16 units), so a body with
 * non-empty overrides, or one the compiled check rejects, goes to
 * class-validator, which then accepts it or words the 400. A property test
 * (test/unit/validation/compiled-validation.test.ts) holds both to the same
 * verdicts and field paths.
 */

export interface CompiledAccept {
  tag: string | undefined;
  seed: number | undefined;
  ttlSeconds: number | undefined;
  /** A DTO instance: its defaults, then the body's fields. */
  params: object;
  overrides: object;
}

/** The compiled verdict: what class-validator would accept, or the dotted paths of the fields it would report. */
export type CompiledVerdict = { ok: true; value: CompiledAccept } | { ok: false; paths: string[] };

interface Compiled {
  envelope: ValidateFunction;
  params: WeakMap<DtoClass<object>, ValidateFunction>;
  schemas: Record<string, JsonSchema>;
  ajv: Ajv;
}

let compiled: Compiled | undefined;

function compiledOnce(): Compiled {
  if (!compiled) {
    const schemas = dtoSchemas();
    const envelope = schemas.ProvisionRequestBody;
    if (!envelope) throw new Error('compiled validation: no JSON Schema for ProvisionRequestBody (is request-validation.ts loaded?)');
    // allErrors: every offending field, as class-validator reports them; no coercion, no defaults written into the body.
    const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false, useDefaults: false });
    compiled = { envelope: ajv.compile(envelope), params: new WeakMap(), schemas, ajv };
  }
  return compiled;
}

function paramsValidator(dto: DtoClass<object>): ValidateFunction {
  const state = compiledOnce();
  let validate = state.params.get(dto);
  if (!validate) {
    validate = state.ajv.compile(inlineRefs(schemaOfDto(dto, state.schemas), state.schemas) as JsonSchema);
    state.params.set(dto, validate);
  }
  return validate;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** ajv's error → the body path class-validator names (`params.orders`, an unknown key's own path). */
function pathOf(error: ErrorObject, prefix: string): string {
  const segments = error.instancePath.split('/').slice(1);
  if (error.keyword === 'additionalProperties') segments.push(String((error.params as { additionalProperty: string }).additionalProperty));
  return [prefix, ...segments].filter(Boolean).join('.');
}

function pathsOf(validate: ValidateFunction, prefix: string): string[] {
  return [...new Set((validate.errors ?? []).map((error) => pathOf(error, prefix)))];
}

/**
 * The compiled verdict for `body` (already checked by unsafeParts: no
 * prototype keys, no pathological nesting). `ok: false` with no paths means
 * "not decided here": overrides are present and class-validator must judge.
 */
export function compiledVerdict(recipe: AnyRecipe, body: Record<string, unknown>): CompiledVerdict {
  const { envelope } = compiledOnce();
  const paths = envelope(body) ? [] : pathsOf(envelope, '');
  const params = isPlainObject(body.params) ? body.params : {};
  const validateParams = paramsValidator(recipe.params as DtoClass<object>);
  if (!validateParams(params)) paths.push(...pathsOf(validateParams, 'params'));
  if (paths.length > 0) return { ok: false, paths };
  const overrides = isPlainObject(body.overrides) ? body.overrides : {};
  if (Object.keys(overrides).length > 0) return { ok: false, paths: [] };
  return {
    ok: true,
    value: {
      tag: body.tag as string | undefined,
      seed: body.seed as number | undefined,
      ttlSeconds: body.ttlSeconds as number | undefined,
      params: Object.assign(new (recipe.params as DtoClass<object>)(), params),
      overrides: new (recipe.overrides as DtoClass<object>)(),
    },
  };
}

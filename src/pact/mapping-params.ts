import { AppError, type FieldError } from '../errors';
import { validateProvisionRequest } from '../provisioning/request-validation';
import type { AnyRecipe } from '../provisioning/scenario-recipe';
import { dtoSchemas, schemaOfDto, type JsonSchema } from '../provisioning/scenario-schemas';
import { isReservedKey, unknownFields } from './field-checks';
import type { JsonObject } from './json';
import { isParamRef } from './param-ref';

/** A scenario's own params validation, answering `params.<name>` paths. */
export type ParamsValidation = (composed: JsonObject) => FieldError[];

let schemas: Record<string, JsonSchema> | undefined;

export function recipeParamNames(recipe: AnyRecipe): string[] {
  return Object.keys((schemaOfDto(recipe.params, (schemas ??= dtoSchemas())).properties as JsonSchema | undefined) ?? {});
}

export function recipeParamsValidation(recipe: AnyRecipe): ParamsValidation {
  return (composed) => {
    try {
      validateProvisionRequest(recipe, { params: composed });
      return [];
    } catch (error) {
      if (!(error instanceof AppError) || !error.errors) throw error;
      return error.errors;
    }
  };
}

/**
 * A state's scenario params as stored: fixed values and defaults must pass
 * the scenario's own params validation, referenced names must exist. A
 * required param the state will send (a reference without a default) is
 * checked at setup. Paths are named under `path`.
 */
export function checkParams(scenario: string, known: string[], validate: ParamsValidation, params: JsonObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const fail = (where: string, message: string): void => {
    errors.push({ path: where, message: `${where} ${message}` });
  };
  const composed: JsonObject = {};
  for (const [key, value] of Object.entries(params)) {
    if (isReservedKey(key)) {
      fail(`${path}.${key}`, 'is not a known field');
      continue;
    }
    if (!isParamRef(value)) {
      composed[key] = value;
      continue;
    }
    unknownFields(value as unknown as JsonObject, ['param', 'default'], `${path}.${key}`, errors);
    if (typeof value.param !== 'string' || value.param === '') fail(`${path}.${key}.param`, 'must name a param of the provider state');
    if (value.default === undefined && !known.includes(key)) fail(`${path}.${key}`, `is not a param of scenario ${scenario} (allowed: ${known.join(', ')})`);
    if (value.default !== undefined) composed[key] = value.default;
  }
  for (const field of validate(composed)) {
    const relative = field.path.replace(/^params\.?/, '');
    const ref = params[relative];
    if (isParamRef(ref) && ref.default === undefined) continue;
    // A bad default is named as such; an unknown name is named by its key.
    const where = isParamRef(ref) && known.includes(relative) ? `${path}.${relative}.default` : `${path}${relative ? `.${relative}` : ''}`;
    const message = field.message.startsWith(field.path) ? `${where}${field.message.slice(field.path.length)}` : `${where}: ${field.message}`;
    errors.push({ path: where, message });
  }
  return errors;
}

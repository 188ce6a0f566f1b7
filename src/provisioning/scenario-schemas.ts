import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import type { DtoClass, ScenarioRecipe } from './scenario-recipe';

export type JsonSchema = Record<string, unknown>;

const REF_PREFIX = '#/components/schemas/';

// class-transformer keeps its @Type metadata here and ships no typings for the path.
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: MetadataStorage };

/**
 * JSON Schemas of every class-validator DTO, keyed by class name, with nested
 * DTOs as `$ref: '#/components/schemas/<ClassName>'`: the very shape
 * openapi.yaml uses, so the contract test compares them name by name.
 * Defaults come from the DTOs' field initialisers (the values validation fills in).
 */
export function dtoSchemas(): Record<string, JsonSchema> {
  const schemas = validationMetadatasToSchemas({
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: REF_PREFIX,
  }) as Record<string, JsonSchema>;
  // Validation forbids unknown fields in every DTO (forbidNonWhitelisted): say so.
  return Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, { ...schema, additionalProperties: false }]));
}

function withDefaults(schema: JsonSchema, dto: DtoClass<object>): JsonSchema {
  const instance = new dto() as Record<string, unknown>;
  const properties = { ...(schema.properties as Record<string, JsonSchema> | undefined) };
  for (const [name, property] of Object.entries(properties)) {
    if (instance[name] !== undefined) properties[name] = { ...property, default: instance[name] };
  }
  return { ...schema, properties };
}

/** The schema of one DTO class as openapi.yaml should list it (refs kept). */
export function schemaOfDto(dto: DtoClass<object>, all: Record<string, JsonSchema> = dtoSchemas()): JsonSchema {
  // A DTO without decorated fields has no metadata: it accepts only {}.
  const schema = all[dto.name] ?? { type: 'object', properties: {}, additionalProperties: false };
  return withDefaults(schema, dto);
}

/** Replaces every `$ref` into the DTO set with the referenced schema: a self-contained schema for GET /scenarios. */
export function inlineRefs(schema: unknown, all: Record<string, JsonSchema>, depth = 0): unknown {
  if (depth > 16) throw new Error('DTO schemas nest too deeply (a cycle?)');
  if (Array.isArray(schema)) return schema.map((item) => inlineRefs(item, all, depth + 1));
  if (typeof schema !== 'object' || schema === null) return schema;
  const node = schema as JsonSchema;
  if (typeof node.$ref === 'string' && node.$ref.startsWith(REF_PREFIX)) {
    const name = node.$ref.slice(REF_PREFIX.length);
    const target = all[name];
    if (!target) throw new Error(`Unresolved schema reference ${node.$ref}`);
    return inlineRefs(target, all, depth + 1);
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, inlineRefs(value, all, depth + 1)]));
}

export interface ScenarioInfo {
  name: string;
  description: string;
  version: number;
  paramsSchema: JsonSchema;
  overridesSchema: JsonSchema;
}

/** What GET /scenarios lists, produced from the DTOs that validate the requests. */
export function describeScenarios(recipes: readonly ScenarioRecipe<object, object, unknown>[]): ScenarioInfo[] {
  const all = dtoSchemas();
  return recipes.map((recipe) => ({
    name: recipe.name,
    description: recipe.description,
    version: recipe.version,
    paramsSchema: inlineRefs(schemaOfDto(recipe.params, all), all) as JsonSchema,
    overridesSchema: inlineRefs(schemaOfDto(recipe.overrides, all), all) as JsonSchema,
  }));
}

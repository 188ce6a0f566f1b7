import { MAX_SEED, MAX_TTL_SECONDS } from '../../src/provisioning/request-validation';
import { TAG_PATTERN } from '../../src/tags/tag-name';
import { dtoSchemas, schemaOfDto, type JsonSchema } from '../../src/provisioning/scenario-schemas';
import { SCENARIOS } from '../../src/scenarios/registry';
import { openApiDocument } from '../support/contract';

/**
 * openapi.yaml documents each scenario's params and overrides by hand; the
 * class-validator DTOs validate them. This keeps the two equal: a bound, a
 * field name, an enum value or a default that differs fails here.
 */
const spec = openApiDocument() as { paths: Record<string, unknown>; components: { schemas: Record<string, JsonSchema> } };
const specSchemas = spec.components.schemas;
const dtos = dtoSchemas();

/** Words for humans only: they never change what validates. */
const ANNOTATIONS = new Set(['description', 'examples', 'example', 'title']);

function normalise(schema: unknown, schemas: Record<string, JsonSchema>, depth = 0): unknown {
  if (depth > 20) throw new Error('schema nests too deeply');
  if (Array.isArray(schema)) return schema.map((item) => normalise(item, schemas, depth + 1));
  if (typeof schema !== 'object' || schema === null) return schema;
  const node = schema as JsonSchema;
  if (typeof node.$ref === 'string') {
    const name = node.$ref.replace('#/components/schemas/', '');
    if (!schemas[name]) throw new Error(`unresolved ${node.$ref}`);
    return normalise(schemas[name], schemas, depth + 1);
  }
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => !ANNOTATIONS.has(key))
      .map(([key, value]) => [key, key === 'enum' ? value : normalise(value, schemas, depth + 1)]),
  );
}

const pascal = (name: string): string => name.replace(/(^|-)([a-z])/g, (_match, _dash, letter: string) => letter.toUpperCase());

describe('openapi.yaml scenario schemas', () => {
  test('When the catalog is listed, then every scenario has its own path in openapi.yaml and no documented scenario is missing', () => {
    const documented = Object.keys(spec.paths)
      .filter((path) => /^\/scenarios\/[a-z-]+$/.test(path))
      .map((path) => path.replace('/scenarios/', ''));

    expect(documented.sort()).toEqual(SCENARIOS.map((recipe) => recipe.name).sort());
  });

  describe.each(SCENARIOS.map((recipe) => [recipe.name, recipe] as const))('%s', (name, recipe) => {
    const prefix = `${pascal(name)}Scenario`;

    test(`When compared, then ${prefix}Params in openapi.yaml equals the params DTO`, () => {
      expect(recipe.params.name).toBe(`${prefix}Params`);
      expect(specSchemas[`${prefix}Params`]).toBeDefined();

      expect(normalise(specSchemas[`${prefix}Params`], specSchemas)).toEqual(normalise(schemaOfDto(recipe.params, dtos), dtos));
    });

    test(`When compared, then ${prefix}Overrides in openapi.yaml equals the overrides DTO`, () => {
      expect(recipe.overrides.name).toBe(`${prefix}Overrides`);
      expect(specSchemas[`${prefix}Overrides`]).toBeDefined();

      expect(normalise(specSchemas[`${prefix}Overrides`], specSchemas)).toEqual(normalise(schemaOfDto(recipe.overrides, dtos), dtos));
    });

    test(`When compared, then ${prefix}Request wires these params and overrides to the path`, () => {
      const request = specSchemas[`${prefix}Request`] as { properties: Record<string, { $ref: string }> };

      expect(request.properties.params).toEqual({ $ref: `#/components/schemas/${prefix}Params` });
      expect(request.properties.overrides).toEqual({ $ref: `#/components/schemas/${prefix}Overrides` });
      const operation = (spec.paths[`/scenarios/${name}`] as { post: JsonSchema }).post as {
        requestBody: { content: { 'application/json': { schema: unknown } } };
      };
      expect(operation.requestBody.content['application/json'].schema).toEqual({ $ref: `#/components/schemas/${prefix}Request` });
    });
  });

  test('When compared, then the envelope bounds (tag pattern, seed, ttlSeconds) equal the validator', () => {
    expect(specSchemas.Tag).toMatchObject({ type: 'string', pattern: TAG_PATTERN.source });
    expect(specSchemas.Seed).toMatchObject({ type: 'integer', minimum: 0, maximum: MAX_SEED });
    expect(specSchemas.TtlSeconds).toMatchObject({ type: 'integer', minimum: 1, maximum: MAX_TTL_SECONDS });
  });

  test('When a bound differs, then the comparison notices (the check can fail)', () => {
    const tampered = structuredClone(specSchemas.UserWithOrdersScenarioParams) as { properties: { orders: { maximum: number } } };
    tampered.properties.orders.maximum = 99;

    expect(normalise(tampered, specSchemas)).not.toEqual(normalise(schemaOfDto(SCENARIOS[1]!.params, dtos), dtos));
  });
});

import { overridesSchema, graphNodeSchema, nodeSchemaName, rowColumnSchema, rowSchema, rowSchemaName, type JsonSchema } from '../scenario-files/json-schemas';
import type { ResultPath } from '../scenario-files/result-paths';
import type { ScenarioDefinition } from '../scenario-files/scenario-definition';
import type { ScenarioSet } from '../scenario-files/scenario-set';
import type { ModelIndex, TableModel } from '../schema/schema-model';

/**
 * This deployment's OpenAPI document: the fixed contract (openapi.yaml) plus,
 * with a target schema, one path per scenario file in place of the built-in
 * scenarios, and POST /graphs typed by the modelled tables. Pure: the caller
 * passes the fixed document, the model and the scenario set it has.
 */
type Json = Record<string, unknown>;

const SCHEMAS = '#/components/schemas/';
const PROBLEM = { $ref: '#/components/responses/Problem' };

function scenarioSchemaBase(name: string): string {
  return `Scenario_${name.replace(/[^A-Za-z0-9]+/g, '_')}`;
}

function operationId(name: string): string {
  return `provision${name.replace(/(^|-)([a-z0-9])/g, (_match, _dash: string, letter: string) => letter.toUpperCase())}Scenario`;
}

function dataEntrySchema(path: ResultPath, rowRef: (table: TableModel) => JsonSchema): JsonSchema {
  const table = path.source.table;
  if (path.index === undefined) return { type: 'array', items: rowRef(table) };
  // Row 0 of a node always exists (count ≥ 1); a later one may not for smaller params.
  const maybeMissing = path.index > 0;
  if (path.column === undefined) return maybeMissing ? { anyOf: [rowRef(table), { type: 'null' }] } : rowRef(table);
  const column = table.columns.find((candidate) => candidate.name === path.column)!;
  const value = rowColumnSchema(column);
  return maybeMissing && Object.keys(value).length > 0 ? { anyOf: [value, { type: 'null' }] } : value;
}

function scenarioSchemas(definition: ScenarioDefinition, rowRef: (table: TableModel) => JsonSchema): { request: JsonSchema; result: JsonSchema } {
  const request = {
    type: 'object',
    properties: {
      tag: { $ref: `${SCHEMAS}Tag` },
      seed: { $ref: `${SCHEMAS}Seed` },
      ttlSeconds: { $ref: `${SCHEMAS}TtlSeconds` },
      params: definition.params.schema,
      overrides: overridesSchema(definition),
    },
    additionalProperties: false,
  };
  const data: JsonSchema = definition.result
    ? {
        type: 'object',
        required: [...definition.result.keys()],
        properties: Object.fromEntries([...definition.result].map(([name, path]) => [name, dataEntrySchema(path, rowRef)])),
        additionalProperties: false,
      }
    : { type: 'object', description: 'Every created row per table.', additionalProperties: { type: 'array', items: { type: 'object' } } };
  const result = {
    type: 'object',
    required: ['tag', 'scenario', 'scenarioVersion', 'seed', 'expiresAt', 'counts', 'data', 'records'],
    properties: {
      tag: { $ref: `${SCHEMAS}Tag` },
      scenario: { const: definition.name },
      scenarioVersion: { const: definition.version },
      seed: { $ref: `${SCHEMAS}Seed` },
      expiresAt: { $ref: `${SCHEMAS}Timestamp` },
      counts: { $ref: `${SCHEMAS}RowCounts` },
      data,
      records: { type: 'object', additionalProperties: { type: 'array', items: { type: 'object' } } },
    },
    additionalProperties: false,
  };
  return { request, result };
}

function scenarioPath(definition: ScenarioDefinition, base: string): Json {
  return {
    post: {
      operationId: operationId(definition.name),
      summary: definition.description || definition.name,
      description: `Scenario file ${definition.file} (version ${definition.version}).`,
      tags: ['scenarios'],
      parameters: [{ $ref: '#/components/parameters/IdempotencyKey' }],
      requestBody: { required: false, content: { 'application/json': { schema: { $ref: `${SCHEMAS}${base}_Request` } } } },
      responses: {
        '201': { description: 'Created under the tag.', content: { 'application/json': { schema: { $ref: `${SCHEMAS}${base}_Result` } } } },
        '400': PROBLEM,
        '409': PROBLEM,
        '415': PROBLEM,
        '422': PROBLEM,
        '429': PROBLEM,
        '401': PROBLEM,
        default: PROBLEM,
      },
    },
  };
}

/** Built-in scenario paths: literal /scenarios/<name>, not the {name} catch-all. */
function isBuiltInScenarioPath(path: string): boolean {
  return path.startsWith('/scenarios/') && !path.includes('{');
}

export function liveDocument(fixed: Json, target: { index: ModelIndex; scenarios: ScenarioSet } | undefined): Json {
  const document = structuredClone(fixed);
  document.servers = [{ url: '.', description: 'This testapi service, relative to where this document is served' }];
  if (!target) return document;
  const { index, scenarios } = target;
  const paths = document.paths as Json;
  const components = document.components as { schemas: Json };
  const schemas = components.schemas;
  for (const path of Object.keys(paths)) if (isBuiltInScenarioPath(path)) delete paths[path];

  const rowRef = (table: TableModel): JsonSchema => {
    const name = rowSchemaName(table);
    schemas[name] ??= rowSchema(table);
    return { $ref: `${SCHEMAS}${name}` };
  };
  for (const definition of scenarios.values()) {
    const base = scenarioSchemaBase(definition.name);
    const { request, result } = scenarioSchemas(definition, rowRef);
    schemas[`${base}_Request`] = request;
    schemas[`${base}_Result`] = result;
    paths[`/scenarios/${definition.name}`] = scenarioPath(definition, base);
  }

  const provisionable = index.model.tables.filter((table) => table.provisionable);
  const nodeRef = (table: TableModel): string => `${SCHEMAS}${nodeSchemaName(table)}`;
  for (const table of provisionable) schemas[nodeSchemaName(table)] = graphNodeSchema(index, table, nodeRef);
  const graphProperties: Json = {};
  for (const table of provisionable) {
    const entry = { type: 'array', items: { $ref: nodeRef(table) } };
    graphProperties[table.label] = entry;
    if (table.key !== table.label) graphProperties[table.key] = entry;
  }
  const graphRequest = schemas.GraphRequest as { properties: Json };
  graphRequest.properties = {
    ...graphRequest.properties,
    graph: { type: 'object', minProperties: 1, description: 'Table name to an array of nodes.', properties: graphProperties, additionalProperties: false },
  };
  // The answer's records typed per table, as records answer them (int8 and numeric as text...): a misspelt column is a compile error.
  const recordProperties: Json = {};
  for (const table of provisionable) recordProperties[table.label] = { type: 'array', items: rowRef(table) };
  const graphResult = schemas.GraphResult as { properties: Json };
  graphResult.properties = {
    ...graphResult.properties,
    records: { type: 'object', description: 'Every created row as stored, per table.', properties: recordProperties, additionalProperties: false },
  };
  return document;
}

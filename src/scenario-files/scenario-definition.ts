import { AppError, type FieldError } from '../errors';
import { parseGraphRequest, type GraphLimits } from '../graphs/graph-request';
import { createRandomSources } from '../provisioning/seeded-random';
import type { ModelIndex, TableModel } from '../schema/schema-model';
import { compileNodes, fitDrawnText, resolveGraph, type CompiledNode } from './compiled-graph';
import { compileParamsSchema, type ParamsSchema } from './params-schema';
import type { FileProblem, RawScenarioFile } from '../files/read-scenario-files';
import { compileResult, type ResultPath } from './result-paths';
import type { TemplateScope } from './templates';

/**
 * One scenario file, checked against the model: its params schema compiled,
 * its templates parsed, its graph validated by the graph engine itself (with
 * sample params), its `result` paths resolved to aliases and tables. What
 * remains at request time is filling in the templates.
 */
const FILE_KEYS = new Set(['name', 'description', 'version', 'params', 'graph', 'result', 'tables']);
const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const MAX_DESCRIPTION = 1_000;

export interface ScenarioDefinition {
  file: string;
  name: string;
  description: string;
  version: number;
  params: ParamsSchema;
  graph: Record<string, CompiledNode[]>;
  /** Aliases (`as`) of the graph: the keys `overrides` takes, each with its table. */
  aliases: Map<string, TableModel>;
  result: Map<string, ResultPath> | undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

class Problems {
  readonly list: FileProblem[] = [];
  constructor(private readonly file: string) {}
  readonly add = (path: string, message: string): void => {
    this.list.push({ file: this.file, path, message });
  };
}

/** `tables`: per table, the columns declared unique or opted out (schema/file-declarations.ts applies them). */
function checkTableDeclarations(tables: unknown, index: ModelIndex, add: (path: string, message: string) => void): void {
  if (!isObject(tables)) {
    add('tables', 'tables maps a table to {unique: [columns], notUnique: [columns]}');
    return;
  }
  for (const [name, entry] of Object.entries(tables)) {
    const table = index.resolve(name);
    if (!table) {
      add(`tables.${name}`, `unknown table "${name}" (GET /schema lists the tables)`);
      continue;
    }
    if (!isObject(entry)) {
      add(`tables.${name}`, 'a table entry is {unique: [columns], notUnique: [columns]}');
      continue;
    }
    for (const [key, columns] of Object.entries(entry)) {
      if (key !== 'unique' && key !== 'notUnique') {
        add(`tables.${name}.${key}`, `unknown key ${key} (allowed: unique, notUnique)`);
        continue;
      }
      if (!Array.isArray(columns)) {
        add(`tables.${name}.${key}`, `${key} is a list of column names`);
        continue;
      }
      columns.forEach((column, position) => {
        if (typeof column !== 'string' || !table.columns.some((candidate) => candidate.name === column)) {
          add(`tables.${name}.${key}[${position}]`, `table ${table.label} has no column ${JSON.stringify(column)}`);
        }
      });
    }
  }
}

/** Checks one parsed file against the model; every problem is named by its path in the file. */
export function compileScenario(raw: RawScenarioFile, index: ModelIndex, limits: GraphLimits): ScenarioDefinition | FileProblem[] {
  const problems = new Problems(raw.file);
  const content = raw.content;
  if (!isObject(content)) {
    problems.add('(file)', 'a scenario file holds one object with name, description, version, params, graph and result');
    return problems.list;
  }
  for (const key of Object.keys(content)) if (!FILE_KEYS.has(key)) problems.add(key, `unknown key ${key} (allowed: ${[...FILE_KEYS].join(', ')})`);
  const { name, description, version } = content;
  if (typeof name !== 'string' || !NAME.test(name)) problems.add('name', 'name is required: lower-case letters, digits and "-", at most 63 (it is the URL /scenarios/<name>)');
  if (description !== undefined && (typeof description !== 'string' || description.length > MAX_DESCRIPTION)) problems.add('description', `description is a text of at most ${MAX_DESCRIPTION} characters`);
  if (!Number.isInteger(version) || (version as number) < 1) problems.add('version', 'version is required: a whole number from 1, bumped when the output for a seed changes');
  if (content.tables !== undefined) checkTableDeclarations(content.tables, index, problems.add);
  const params = compileParamsSchema(content.params);
  if (Array.isArray(params)) {
    for (const [path, message] of params) problems.add(path, message);
    return problems.list;
  }
  if (!isObject(content.graph) || Object.keys(content.graph).length === 0) {
    problems.add('graph', 'graph is required: tables to arrays of nodes, the POST /graphs shape');
    return problems.list;
  }
  const scope: TemplateScope = { paramTypes: params.types };
  const aliases = new Set<string>();
  const graph = Object.fromEntries(Object.entries(content.graph).map(([table, nodes]) => [table, compileNodes(nodes, `graph.${table}`, scope, problems.add, aliases)]));
  if (problems.list.length > 0) return problems.list;

  // The engine validates the graph as it would a request, with a value for every param.
  const sampleParams = Object.fromEntries([...params.types.keys()].map((param) => [param, params.sample(param)]));
  const probe = resolveGraph({ graph }, { params: sampleParams, faker: createRandomSources(0).faker, probe: true });
  let plan;
  try {
    plan = parseGraphRequest({ graph: probe }, index, limits);
  } catch (error) {
    if (!(error instanceof AppError) || !error.errors) throw error;
    for (const fieldError of error.errors as FieldError[]) problems.add(fieldError.path, fieldError.message);
    return problems.list;
  }
  fitDrawnText(graph, new Map(plan.nodes.map((node) => [node.path, node.table])));
  const aliasTables = new Map<string, TableModel>();
  const tables = new Map<string, TableModel>();
  for (const node of plan.nodes) {
    if (node.alias) aliasTables.set(node.alias, node.table);
    tables.set(node.table.label, node.table);
  }
  const result = compileResult(content.result, aliasTables, tables, problems.add);
  if (problems.list.length > 0) return problems.list;
  return {
    file: raw.file,
    name: name as string,
    description: (description as string | undefined) ?? '',
    version: version as number,
    params,
    graph,
    aliases: aliasTables,
    result,
  };
}

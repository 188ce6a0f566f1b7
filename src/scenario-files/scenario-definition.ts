import type { Faker } from '@faker-js/faker';
import { AppError, type FieldError } from '../errors';
import { parseGraphRequest, type GraphLimits } from '../graphs/graph-request';
import { createRandomSources } from '../provisioning/seeded-random';
import type { ModelIndex, TableModel } from '../schema/schema-model';
import { compileParamsSchema, type ParamsSchema } from './params-schema';
import type { FileProblem, RawScenarioFile } from './read-files';
import { parseTemplate, resolveTemplate, type Template, type TemplateScope } from './templates';

/**
 * One scenario file, checked against the model: its params schema compiled,
 * its templates parsed, its graph validated by the graph engine itself (with
 * sample params), its `result` paths resolved to aliases and tables. What
 * remains at request time is filling in the templates.
 */
const FILE_KEYS = new Set(['name', 'description', 'version', 'params', 'graph', 'result']);
const NODE_KEYS = new Set(['count', 'as', 'set', 'connect']);
const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const RESULT_PATH = /^([A-Za-z_][A-Za-z0-9_.-]*?)(?:\[(\d{1,6})\])?(?:\.([A-Za-z_][A-Za-z0-9_$]*))?$/;
const MAX_DESCRIPTION = 1_000;

/** A string of the file that holds expressions; a class, so no JSON value of a set can pass for one. */
class Templated {
  /** The column's length when the text is drawn (faker): cut to fit, as the engine's own generators do. */
  maxLength: number | null = null;
  constructor(readonly template: Template) {}

  resolve(input: { params: Record<string, unknown>; faker: Faker; probe?: boolean }): unknown {
    const value = resolveTemplate(this.template, input);
    // The load-time probe knows no lengths yet: one character stands for any drawn text.
    const limit = input.probe && this.drawn ? 1 : this.maxLength;
    if (limit === null || typeof value !== 'string') return value;
    return [...value].slice(0, limit).join('');
  }

  get drawn(): boolean {
    const expressions = this.template.kind === 'whole' ? [this.template.expression] : this.template.kind === 'mixed' ? this.template.parts : [];
    return expressions.some((part) => typeof part !== 'string' && part.kind === 'faker');
  }
}

/** The graph with its templates parsed: strings of count and set values with expressions are Templated. */
type Value = Templated | unknown;
export interface CompiledNode {
  count?: Value;
  as?: string;
  set?: Record<string, Value>;
  connect?: unknown;
  children: Record<string, CompiledNode[]>;
}

/** A `result` entry: rows of an alias or table, all of them, one of them, or one column of one. */
export interface ResultPath {
  source: { alias: string; table: TableModel } | { table: TableModel };
  index?: number;
  column?: string;
}

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
  add(path: string, message: string): void {
    this.list.push({ file: this.file, path, message });
  }
}

function noTemplates(value: unknown, path: string, problems: Problems): void {
  if (typeof value === 'string' && value.includes('{{')) problems.add(path, 'templates are allowed in count and set values only');
  else if (Array.isArray(value)) value.forEach((item, index) => noTemplates(item, `${path}[${index}]`, problems));
  else if (isObject(value)) for (const [key, item] of Object.entries(value)) noTemplates(item, `${path}.${key}`, problems);
}

function compileValue(value: unknown, path: string, scope: TemplateScope, problems: Problems): Value {
  if (typeof value !== 'string') {
    noTemplates(value, path, problems);
    return value;
  }
  const template = parseTemplate(value, scope);
  if (typeof template === 'string') {
    problems.add(path, template);
    return value;
  }
  return template.kind === 'literal' ? value : new Templated(template);
}

function compileNodes(entries: unknown, path: string, scope: TemplateScope, problems: Problems, aliases: Set<string>): CompiledNode[] {
  // Shape errors are the engine's to name (it sees the probe); here only what templates need.
  if (!Array.isArray(entries)) return entries as CompiledNode[];
  return entries.map((entry, position) => {
    const at = `${path}[${position}]`;
    if (!isObject(entry)) return entry as CompiledNode;
    const node: CompiledNode = { children: {} };
    for (const [key, value] of Object.entries(entry)) {
      if (key === 'count') node.count = compileValue(value, `${at}.count`, scope, problems);
      else if (key === 'set') {
        if (!isObject(value)) node.set = value as Record<string, Value>;
        else node.set = Object.fromEntries(Object.entries(value).map(([column, item]) => [column, compileValue(item, `${at}.set.${column}`, scope, problems)]));
      } else if (key === 'as') {
        noTemplates(value, `${at}.as`, problems);
        node.as = value as string;
        if (typeof value === 'string') aliases.add(value);
      } else if (key === 'connect') {
        noTemplates(value, `${at}.connect`, problems);
        node.connect = value;
      } else node.children[key] = compileNodes(value, `${at}.${key}`, scope, problems, aliases);
    }
    return node;
  });
}

export interface ResolveInput {
  params: Record<string, unknown>;
  faker: Faker;
  /** Column values per alias, merged into that node's set. */
  overrides?: Record<string, Record<string, unknown>>;
  /** The check at load time: drawn text is not yet cut to its column. */
  probe?: boolean;
}

function resolveNodes(nodes: CompiledNode[], input: ResolveInput): unknown[] {
  if (!Array.isArray(nodes)) return nodes;
  return nodes.map((node) => {
    if (!isObject(node) || !('children' in node)) return node;
    const out: Record<string, unknown> = {};
    if (node.count !== undefined) {
      const count = node.count instanceof Templated ? node.count.resolve(input) : node.count;
      // An optional param left out: the engine's default of one row.
      if (count !== undefined) out.count = count;
    }
    if (node.as !== undefined) out.as = node.as;
    if (node.set !== undefined || (node.as !== undefined && input.overrides?.[node.as])) {
      const set: Record<string, unknown> = {};
      for (const [column, value] of Object.entries(node.set ?? {})) {
        const resolved = value instanceof Templated ? value.resolve(input) : value;
        if (resolved !== undefined) set[column] = resolved;
      }
      if (node.as !== undefined) Object.assign(set, input.overrides?.[node.as]);
      out.set = isObject(node.set) || node.set === undefined ? set : node.set;
    }
    if (node.connect !== undefined) out.connect = node.connect;
    for (const [key, children] of Object.entries(node.children)) out[key] = resolveNodes(children, input);
    return out;
  });
}

/** The POST /graphs `graph` of one request: templates filled in, overrides merged. */
export function resolveGraph(definition: Pick<ScenarioDefinition, 'graph'>, input: ResolveInput): Record<string, unknown> {
  return Object.fromEntries(Object.entries(definition.graph).map(([table, nodes]) => [table, resolveNodes(nodes, input)]));
}

/**
 * A faker value longer than its varchar(n) column would turn some seeds into a 400 the caller cannot fix:
 * drawn text is cut to the column's length. The plan's node paths are the file's paths, so each node finds its table.
 */
function fitDrawnText(graph: Record<string, CompiledNode[]>, tables: Map<string, TableModel>): void {
  const visit = (nodes: CompiledNode[], path: string): void => {
    if (!Array.isArray(nodes)) return;
    nodes.forEach((node, position) => {
      const at = `${path}[${position}]`;
      const table = tables.get(at);
      for (const [name, value] of Object.entries(node.set ?? {})) {
        const column = table?.columns.find((candidate) => candidate.name === name);
        if (value instanceof Templated && value.drawn && column) value.maxLength = column.length;
      }
      for (const [key, children] of Object.entries(node.children)) visit(children, `${at}.${key}`);
    });
  };
  for (const [table, nodes] of Object.entries(graph)) visit(nodes, `graph.${table}`);
}

function compileResult(raw: unknown, aliasTables: Map<string, TableModel>, tables: Map<string, TableModel>, problems: Problems): Map<string, ResultPath> | undefined {
  if (raw === undefined) return undefined;
  if (!isObject(raw)) {
    problems.add('result', 'result maps names to paths such as customer[0] or invoice');
    return undefined;
  }
  const result = new Map<string, ResultPath>();
  for (const [name, path] of Object.entries(raw)) {
    const at = `result.${name}`;
    const match = typeof path === 'string' ? RESULT_PATH.exec(path) : null;
    if (!match) {
      problems.add(at, 'a result path is an alias or table, optionally [index] and .column: customer[0], invoice, customer[0].email');
      continue;
    }
    const [, source, index, column] = match;
    const aliasTable = aliasTables.get(source!);
    const table = aliasTable ?? tables.get(source!);
    if (!table) {
      problems.add(at, `"${source}" is neither an alias (as) of the graph nor a table it creates (${[...aliasTables.keys(), ...tables.keys()].join(', ')})`);
      continue;
    }
    if (column !== undefined && index === undefined) {
      problems.add(at, `.${column} needs one row: write ${source}[0].${column}`);
      continue;
    }
    if (column !== undefined && !table.columns.some((candidate) => candidate.name === column)) {
      problems.add(at, `table ${table.label} has no column "${column}"`);
      continue;
    }
    result.set(name, {
      source: aliasTable ? { alias: source!, table } : { table },
      ...(index !== undefined ? { index: Number(index) } : {}),
      ...(column !== undefined ? { column } : {}),
    });
  }
  return result;
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
  const graph = Object.fromEntries(Object.entries(content.graph).map(([table, nodes]) => [table, compileNodes(nodes, `graph.${table}`, scope, problems, aliases)]));
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
  const result = compileResult(content.result, aliasTables, tables, problems);
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

import type { Faker } from '@faker-js/faker';
import type { TableModel } from '../schema/schema-model';
import { parseTemplate, resolveTemplate, type Template, type TemplateScope } from './templates';

/**
 * The graph of a scenario file with its templates parsed: what the file
 * says, kept as data, and filled in per request (resolveGraph) into the
 * POST /graphs shape the graph engine takes.
 */
type Report = (path: string, message: string) => void;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

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
  nullableKeys?: unknown;
  parents?: unknown;
  children: Record<string, CompiledNode[]>;
}

function noTemplates(value: unknown, path: string, report: Report): void {
  if (typeof value === 'string' && value.includes('{{')) report(path, 'templates are allowed in count and set values only');
  else if (Array.isArray(value)) value.forEach((item, index) => noTemplates(item, `${path}[${index}]`, report));
  else if (isObject(value)) for (const [key, item] of Object.entries(value)) noTemplates(item, `${path}.${key}`, report);
}

function compileValue(value: unknown, path: string, scope: TemplateScope, report: Report): Value {
  if (typeof value !== 'string') {
    noTemplates(value, path, report);
    return value;
  }
  const template = parseTemplate(value, scope);
  if (typeof template === 'string') {
    report(path, template);
    return value;
  }
  return template.kind === 'literal' ? value : new Templated(template);
}

export function compileNodes(entries: unknown, path: string, scope: TemplateScope, report: Report, aliases: Set<string>): CompiledNode[] {
  // Shape errors are the engine's to name (it sees the probe); here only what templates need.
  if (!Array.isArray(entries)) return entries as CompiledNode[];
  return entries.map((entry, position) => {
    const at = `${path}[${position}]`;
    if (!isObject(entry)) return entry as CompiledNode;
    // Keys come from the file: objects without a prototype, so a "__proto__" key is a key (that the engine refuses).
    const node: CompiledNode = { children: Object.create(null) as Record<string, CompiledNode[]> };
    for (const [key, value] of Object.entries(entry)) {
      if (key === 'count') node.count = compileValue(value, `${at}.count`, scope, report);
      else if (key === 'set') {
        if (!isObject(value)) node.set = value as Record<string, Value>;
        else node.set = Object.fromEntries(Object.entries(value).map(([column, item]) => [column, compileValue(item, `${at}.set.${column}`, scope, report)]));
      } else if (key === 'as') {
        noTemplates(value, `${at}.as`, report);
        node.as = value as string;
        if (typeof value === 'string') aliases.add(value);
      } else if (key === 'connect') {
        noTemplates(value, `${at}.connect`, report);
        node.connect = value;
      } else if (key === 'nullableKeys' || key === 'parents') {
        noTemplates(value, `${at}.${key}`, report);
        node[key] = value;
      } else node.children[key] = compileNodes(value, `${at}.${key}`, scope, report, aliases);
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
    const out = Object.create(null) as Record<string, unknown>;
    if (node.count !== undefined) {
      const count = node.count instanceof Templated ? node.count.resolve(input) : node.count;
      // An optional param left out: the engine's default of one row.
      if (count !== undefined) out.count = count;
    }
    if (node.as !== undefined) out.as = node.as;
    // Own keys only: an alias may be called "constructor".
    const override = node.as !== undefined && input.overrides && Object.hasOwn(input.overrides, node.as) ? input.overrides[node.as] : undefined;
    if (node.set !== undefined || override) {
      const set = Object.create(null) as Record<string, unknown>;
      for (const [column, value] of Object.entries(node.set ?? {})) {
        const resolved = value instanceof Templated ? value.resolve(input) : value;
        if (resolved !== undefined) set[column] = resolved;
      }
      Object.assign(set, override);
      out.set = isObject(node.set) || node.set === undefined ? set : node.set;
    }
    if (node.connect !== undefined) out.connect = node.connect;
    if (node.nullableKeys !== undefined) out.nullableKeys = node.nullableKeys;
    if (node.parents !== undefined) out.parents = node.parents;
    for (const [key, children] of Object.entries(node.children)) out[key] = resolveNodes(children, input);
    return out;
  });
}

/** The POST /graphs `graph` of one request: templates filled in, overrides merged. */
export function resolveGraph(definition: { graph: Record<string, CompiledNode[]> }, input: ResolveInput): Record<string, unknown> {
  return Object.fromEntries(Object.entries(definition.graph).map(([table, nodes]) => [table, resolveNodes(nodes, input)]));
}

/**
 * A faker value longer than its varchar(n) column would turn some seeds into a 400 the caller cannot fix:
 * drawn text is cut to the column's length. The plan's node paths are the file's paths, so each node finds its table.
 */
export function fitDrawnText(graph: Record<string, CompiledNode[]>, tables: Map<string, TableModel>): void {
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


import { randomInt } from 'node:crypto';
import { validationError, type FieldError } from '../errors';
import { MAX_SEED } from '../provisioning/request-validation';
import { newRequestId } from '../provisioning/unique-values';
import type { ColumnModel, ForeignKeyModel, ModelIndex, TableModel } from '../schema/schema-model';
import { isValidTag, TAG_FORMAT_MESSAGE } from '../tags/tag-name';
import { isOptional, isOwnershipKey } from '../schema/ownership-keys';
import { givenForeignKeys, isRequired, NULLABLE_KEYS, PARENT_MODES, type GraphPlan, type NullableKeys, type ParentMode, type ParentsChoice, type PlanNode } from './graph-plan';
import { orderByNeeds } from './node-order';
import { repeatedKey } from './repeated-keys';
import { rowDigits, SALTED_KINDS, saltMisfit } from './salt-room';
import { checkSetValue } from './set-values';
import { isPerRowForm, parsePerRowValue, PerRowValue } from './per-row-values';
import { isReservedEmail, RESERVED_DOMAINS_TEXT } from '../validation/dto-decorators';

/**
 * Turns a POST /graphs body into a plan, or a 400 naming every offending
 * path. Nothing here touches the database: the model was read before, and
 * rows are counted against MAX_ROWS_PER_REQUEST before any write.
 */
export const MAX_DEPTH = 8;
const NODE_KEYS = new Set(['count', 'as', 'set', 'connect', 'nullableKeys', 'parents']);
const BODY_KEYS = new Set(['tag', 'seed', 'ttlSeconds', 'clock', 'nullableKeys', 'parents', 'graph']);
const ALIAS = /^[A-Za-z_][A-Za-z0-9_-]{0,62}$/;
const MAX_TTL_SECONDS = 2_592_000;

export interface GraphLimits {
  maxRows: number;
  defaultTtlSeconds: number;
  /** TESTAPI_ALLOW_ANY_EMAIL: take e-mail addresses in set outside reserved domains (off: a 400 names them). */
  allowAnyEmail?: boolean;
}

const EMAIL_LIKE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** An address given in set that could reach a real person: testapi writes only reserved domains unless the deployment allows more. */
function deliverableAddress(value: unknown): string | undefined {
  const values = value instanceof PerRowValue ? value.samples() : [value];
  return values.find((candidate): candidate is string => typeof candidate === 'string' && EMAIL_LIKE.test(candidate) && !isReservedEmail(candidate));
}

class Collector {
  readonly errors: FieldError[] = [];
  add(path: string, message: string): void {
    this.errors.push({ path, message });
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const own = (value: Record<string, unknown>): string[] => Object.keys(value);

interface RawNode {
  path: string;
  table: TableModel;
  raw: Record<string, unknown>;
  depth: number;
  parent?: { node: PlanNode; fk: ForeignKeyModel };
}

/** The foreign key a child key names, from the child table to `parent`. */
function childForeignKey(index: ModelIndex, parent: TableModel, key: string): { table: TableModel; fk: ForeignKeyModel } | string {
  const asTable = index.resolve(key);
  if (asTable) {
    const leading = asTable.foreignKeys.filter((fk) => fk.references === parent.key);
    if (leading.length === 1) return { table: asTable, fk: leading[0]! };
    if (leading.length === 0) return `table ${asTable.label} has no foreign key to ${parent.label}`;
    const names = leading.map((fk) => (fk.columns.length === 1 ? `${asTable.label}.${fk.columns[0]}` : fk.name));
    return `${leading.length} foreign keys lead from ${asTable.label} to ${parent.label}: name one (${names.join(', ')})`;
  }
  const dot = key.lastIndexOf('.');
  if (dot > 0) {
    const table = index.resolve(key.slice(0, dot));
    const column = key.slice(dot + 1);
    const fk = table?.foreignKeys.find((candidate) => candidate.references === parent.key && candidate.columns.includes(column));
    if (table && fk) return { table, fk };
  }
  for (const table of index.model.tables) {
    const fk = table.foreignKeys.find((candidate) => candidate.name === key && candidate.references === parent.key);
    if (fk) return { table, fk };
  }
  return `unknown child "${key}": expected a table with a foreign key to ${parent.label}, table.column or a foreign key's name (node keys: count, as, set, connect)`;
}

function connectForeignKey(table: TableModel, key: string): ForeignKeyModel | undefined {
  return table.foreignKeys.find((fk) => fk.name === key) ?? table.foreignKeys.find((fk) => fk.columns.length === 1 && fk.columns[0] === key);
}

function columnOf(table: TableModel, name: string): ColumnModel | undefined {
  return table.columns.find((column) => column.name === name);
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
/** Times must stay inside what PostgreSQL and JavaScript both hold, with room for a month's offsets. */
const LATEST_CLOCK = Date.UTC(9999, 0, 1);

/** The request's time in whole seconds: generated times are whole seconds from it. */
function requestClock(): number {
  return Math.floor(Date.now() / 1000) * 1000;
}

function parseClock(value: unknown): number | undefined {
  if (typeof value !== 'string' || !RFC3339.test(value)) return undefined;
  const time = Date.parse(value);
  return Number.isFinite(time) && time >= 0 && time < LATEST_CLOCK ? time : undefined;
}

export function parseGraphRequest(body: unknown, index: ModelIndex, limits: GraphLimits): GraphPlan {
  const errors = new Collector();
  if (!isObject(body)) {
    throw validationError([{ path: 'body', message: 'send a JSON object such as {"graph": {"customer": [{"count": 2}]}}' }]);
  }
  for (const key of own(body)) if (!BODY_KEYS.has(key)) errors.add(key, `property ${key} should not exist (allowed: tag, seed, ttlSeconds, clock, nullableKeys, parents, graph)`);
  if (body.tag !== undefined && !isValidTag(body.tag)) errors.add('tag', `tag ${TAG_FORMAT_MESSAGE}`);
  if (body.seed !== undefined && !(Number.isInteger(body.seed) && (body.seed as number) >= 0 && (body.seed as number) <= MAX_SEED)) {
    errors.add('seed', `seed must be a whole number from 0 to ${MAX_SEED}`);
  }
  if (body.ttlSeconds !== undefined && !(Number.isInteger(body.ttlSeconds) && (body.ttlSeconds as number) >= 1 && (body.ttlSeconds as number) <= MAX_TTL_SECONDS)) {
    errors.add('ttlSeconds', `ttlSeconds must be a whole number from 1 to ${MAX_TTL_SECONDS}`);
  }
  const requestKeys = nullableKeysOf(body.nullableKeys, 'nullableKeys', errors) ?? 'owners';
  const requestParents = parentsOf(body.parents, 'parents', index, errors) ?? PER_ROW;
  const clock = body.clock === undefined ? requestClock() : parseClock(body.clock);
  if (clock === undefined) errors.add('clock', 'clock must be an RFC 3339 date-time with a zone from 1970 to 9999, e.g. "2025-01-01T00:00:00Z"');
  const graph = body.graph;
  if (!isObject(graph) || own(graph).length === 0) {
    errors.add('graph', 'graph must be an object with at least one table, e.g. {"customer": [{"count": 2}]}');
    throw validationError(errors.errors);
  }

  // Pass 1: the tree, its tables, counts, aliases and child keys.
  const nodes: PlanNode[] = [];
  const raws = new Map<PlanNode, RawNode>();
  const aliases = new Map<string, PlanNode>();
  const keysOf = new Map<PlanNode, NullableKeys>();
  const choicesOf = new Map<PlanNode, ParentsChoice>();
  const existing: PlanNode[] = [];
  let rows = 0;
  let overLimit = false;
  const visit = (entries: unknown, path: string, table: TableModel, depth: number, parent: RawNode['parent'], parentRows: number): void => {
    if (!Array.isArray(entries)) {
      errors.add(path, `${path} must be an array of nodes ({count, as, set, connect} plus child tables)`);
      return;
    }
    if (depth > MAX_DEPTH) {
      errors.add(path, `the graph is nested deeper than ${MAX_DEPTH} levels`);
      return;
    }
    if (!table.provisionable) errors.add(path, `table ${table.label} cannot be provisioned: ${table.reason}`);
    entries.forEach((entry, position) => {
      const nodePath = `${path}[${position}]`;
      if (!isObject(entry)) {
        errors.add(nodePath, 'a node must be an object ({count, as, set, connect} plus child tables)');
        return;
      }
      const count = entry.count === undefined ? 1 : entry.count;
      if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > limits.maxRows) {
        errors.add(`${nodePath}.count`, `count must be a whole number from 1 to ${limits.maxRows}`);
        return;
      }
      const total = parentRows * (count as number);
      rows += total;
      if (rows > limits.maxRows) overLimit = true;
      const node: PlanNode = { path: nodePath, table, count: count as number, rows: total, parent, set: {}, connect: [], created: [], implicit: false };
      if (entry.as !== undefined) {
        if (typeof entry.as !== 'string' || !ALIAS.test(entry.as)) errors.add(`${nodePath}.as`, 'as must be a name of letters, digits, "_" and "-" (at most 63)');
        else if (aliases.has(entry.as)) errors.add(`${nodePath}.as`, `alias "${entry.as}" is already used by ${aliases.get(entry.as)!.path}`);
        else {
          aliases.set(entry.as, node);
          node.alias = entry.as;
        }
      }
      nodes.push(node);
      raws.set(node, { path: nodePath, table, raw: entry, depth, parent });
      // A node's choice holds for its children and the parents created for them.
      keysOf.set(node, nullableKeysOf(entry.nullableKeys, `${nodePath}.nullableKeys`, errors) ?? (parent ? keysOf.get(parent.node)! : requestKeys));
      choicesOf.set(node, parentsOf(entry.parents, `${nodePath}.parents`, index, errors) ?? (parent ? choicesOf.get(parent.node)! : requestParents));
      if (overLimit) return;
      for (const key of own(entry)) {
        if (NODE_KEYS.has(key)) continue;
        const child = childForeignKey(index, table, key);
        if (typeof child === 'string') {
          errors.add(`${nodePath}.${key}`, child);
          continue;
        }
        visit(entry[key], `${nodePath}.${key}`, child.table, depth + 1, { node, fk: child.fk }, total);
      }
    });
  };
  for (const key of own(graph)) {
    const table = index.resolve(key);
    if (!table) {
      errors.add(`graph.${key}`, `unknown table "${key}" (GET /schema lists the tables; qualify it as schema.table when the name is ambiguous)`);
      continue;
    }
    visit(graph[key], `graph.${key}`, table, 1, undefined, 1);
  }
  if (overLimit) {
    throw validationError([{ path: 'graph', message: `the graph would create more than ${limits.maxRows} rows (MAX_ROWS_PER_REQUEST): split the request` }]);
  }

  // Pass 2: set and connect, now that every alias is known.
  for (const node of nodes) {
    const { raw, path, table } = raws.get(node)!;
    if (raw.set !== undefined) {
      if (!isObject(raw.set)) errors.add(`${path}.set`, 'set must be an object of column values');
      else {
        for (const [name, value] of Object.entries(raw.set)) {
          const column = columnOf(table, name);
          const at = `${path}.set.${name}`;
          if (!column) errors.add(at, `table ${table.label} has no column "${name}"`);
          else {
            const parsed = isPerRowForm(column, value) ? parsePerRowValue(column, value, node.rows) : value;
            const problem = isPerRowForm(column, value) ? (typeof parsed === 'string' ? parsed : undefined) : checkSetValue(column, value);
            const address = problem === undefined && !limits.allowAnyEmail ? deliverableAddress(parsed) : undefined;
            if (problem) errors.add(at, problem);
            else if (address) {
              errors.add(at, `${address} is not on a reserved domain (${RESERVED_DOMAINS_TEXT}): testapi writes no address that reaches a real person (a deployment may allow it with TESTAPI_ALLOW_ANY_EMAIL=true)`);
            } else node.set[name] = parsed;
          }
        }
      }
    }
    for (const column of table.columns) {
      // A NOT NULL column testapi has no value for: only the caller can give one.
      if (column.generator.kind === 'none' && !column.nullable && !(column.name in node.set)) {
        errors.add(`${path}.set.${column.name}`, `${table.label}.${column.name} needs a value testapi cannot generate (${column.generator.reason}): give it in set`);
      }
    }
    if (raw.connect !== undefined) {
      if (!isObject(raw.connect)) errors.add(`${path}.connect`, 'connect must be an object such as {"genre_id": {"ref": "rock"}}');
      else {
        for (const [key, target] of Object.entries(raw.connect)) {
          const at = `${path}.connect.${key}`;
          const fk = connectForeignKey(table, key);
          if (!fk) {
            errors.add(at, `table ${table.label} has no foreign key "${key}" (name its column or its constraint)`);
            continue;
          }
          if (isObject(target) && own(target).length === 1 && Object.hasOwn(target, 'existing')) {
            const rowsOf = existingNode(target.existing, `${at}.existing`, fk, index, errors, false);
            if (rowsOf) {
              existing.push(rowsOf);
              node.connect.push({ fk, target: rowsOf, path: at });
            }
            continue;
          }
          const ref = isObject(target) ? target.ref : undefined;
          if (typeof ref !== 'string' || !isObject(target) || own(target).some((name) => name !== 'ref')) {
            errors.add(at, 'connect takes {"ref": "<alias>"} or {"existing": {"where": {<column>: <value>}}}');
            continue;
          }
          const aliased = aliases.get(ref);
          if (!aliased) errors.add(`${at}.ref`, `no node has "as": "${ref}"`);
          else if (aliased.table.key !== fk.references) {
            errors.add(`${at}.ref`, `"${ref}" is a ${aliased.table.label} but ${fk.name} references ${fk.references.split('.').pop()}`);
          } else node.connect.push({ fk, target: aliased, path: at });
        }
      }
    }
  }
  if (errors.errors.length > 0) throw validationError(errors.errors);

  // Pass 3: required parents nobody gave (and owners, see NullableKeys), created under the same tag.
  const explicit = [...nodes];
  const parentWork: ParentWork = { index, nodes, existing, errors };
  for (const node of explicit) rows += addCreatedParents(node, parentWork, [], keysOf.get(node)!, choicesOf.get(node)!);
  if (rows > limits.maxRows) {
    throw validationError([
      { path: 'graph', message: `the graph would create ${rows} rows with the parents it needs, more than ${limits.maxRows} (MAX_ROWS_PER_REQUEST): split the request` },
    ]);
  }
  if (errors.errors.length > 0) throw validationError(errors.errors);

  const ordered = order(nodes, errors);
  if (errors.errors.length > 0) throw validationError(errors.errors);

  // Pass 4: keys the request itself repeats (a 409 that no retry could help), before anything is written.
  for (const node of ordered) {
    const repeated = repeatedKey(node);
    if (!repeated) continue;
    errors.add(
      node.path,
      `rows ${repeated.rows[0]} and ${repeated.rows[1]} of ${node.path} would get the same ${repeated.columns.join(', ')} (${repeated.constraint}): ` +
        'the request decides every column of that key (parent, connect or set); connect to an alias with as many rows as count, or lower count',
    );
  }
  // Pass 5: unique columns too short for a salt that keeps this request's rows apart from every other request's.
  ordered.forEach((node, position) => {
    // The writer's salt ends in the node's ordinal, "x" and the row (graph-writer.ts).
    const perRow = (position + 1).toString(36).length + 1 + rowDigits(node.rows);
    for (const column of node.table.columns) {
      if (!column.unique || !SALTED_KINDS.has(column.generator.kind) || column.name in node.set || node.table.primaryKey.includes(column.name)) continue;
      const misfit = saltMisfit(column, perRow);
      if (misfit) errors.add(`${node.path}.set.${column.name}`, `${node.table.label}.${misfit}`);
    }
  });
  if (errors.errors.length > 0) throw validationError(errors.errors);
  return {
    tag: (body.tag as string | undefined) ?? `t-${newRequestId()}`,
    seed: (body.seed as number | undefined) ?? randomInt(0, MAX_SEED + 1),
    ttlSeconds: (body.ttlSeconds as number | undefined) ?? limits.defaultTtlSeconds,
    clock: clock!,
    nodes: ordered,
    existing,
    rows,
  };
}

function nullableKeysOf(value: unknown, path: string, errors: Collector): NullableKeys | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (NULLABLE_KEYS as readonly string[]).includes(value)) return value as NullableKeys;
  errors.add(path, `${path.split('.').pop()} must be one of ${NULLABLE_KEYS.map((choice) => `"${choice}"`).join(', ')} (what a nullable foreign key nobody gave gets)`);
  return undefined;
}

/** Whether a nullable foreign key nobody gave gets a parent (created or existing), under the node's choice. */
function wantsParent(table: TableModel, fk: ForeignKeyModel, keys: NullableKeys): boolean {
  if (keys === 'null' || !isOptional(table, fk)) return false;
  return keys === 'create' || keys === 'existing' || isOwnershipKey(table, fk);
}

const PER_ROW: ParentsChoice = { all: undefined, byTable: new Map() };
/** Existing rows a node may be spread over: enough for any count, bounded so a huge table costs one small read. */
export const MAX_EXISTING_ROWS = 1_000;

function parentsOf(value: unknown, path: string, index: ModelIndex, errors: Collector): ParentsChoice | undefined {
  if (value === undefined) return undefined;
  const modes = PARENT_MODES.map((mode) => `"${mode}"`).join(', ');
  if (typeof value === 'string') {
    if ((PARENT_MODES as readonly string[]).includes(value)) return { all: value as ParentMode, byTable: new Map() };
    errors.add(path, `parents must be one of ${modes}, or an object of table to one of them`);
    return undefined;
  }
  if (!isObject(value)) {
    errors.add(path, `parents must be one of ${modes}, or an object of table to one of them (e.g. {"plans": "existing"})`);
    return undefined;
  }
  const byTable = new Map<string, ParentMode>();
  for (const [name, mode] of Object.entries(value)) {
    const table = index.resolve(name);
    if (!table) errors.add(`${path}.${name}`, `unknown table "${name}" (GET /schema lists the tables)`);
    else if (typeof mode !== 'string' || !(PARENT_MODES as readonly string[]).includes(mode)) errors.add(`${path}.${name}`, `must be one of ${modes}`);
    else byTable.set(table.key, mode as ParentMode);
  }
  return { all: undefined, byTable };
}

function modeFor(choice: ParentsChoice, table: TableModel): ParentMode {
  return choice.byTable.get(table.key) ?? choice.all ?? 'per-row';
}

/** A node of the existing rows of `fk`'s table that match `where` (equality on its columns). */
function existingNode(spec: unknown, path: string, fk: ForeignKeyModel, index: ModelIndex, errors: Collector, optional: boolean): PlanNode | undefined {
  const table = index.get(fk.references);
  if (!table) {
    errors.add(path, `${fk.references} is not a modelled table`);
    return undefined;
  }
  if (!isObject(spec) || own(spec).some((key) => key !== 'where')) {
    errors.add(path, 'existing takes {"where": {<column>: <value>}} (or {} for any row)');
    return undefined;
  }
  const where: Record<string, unknown> = {};
  if (spec.where !== undefined) {
    if (!isObject(spec.where)) errors.add(`${path}.where`, 'where must be an object of column values');
    else {
      for (const [name, value] of Object.entries(spec.where)) {
        const column = columnOf(table, name);
        const at = `${path}.where.${name}`;
        if (!column) errors.add(at, `table ${table.label} has no column "${name}"`);
        else if (value === null || typeof value === 'object') errors.add(at, 'where compares a column with one value (a string, number or boolean)');
        else {
          const problem = checkSetValue(column, value);
          if (problem) errors.add(at, problem);
          else where[name] = value;
        }
      }
    }
  }
  return {
    path,
    table,
    count: 0,
    rows: 0,
    set: {},
    connect: [],
    created: [],
    implicit: true,
    existing: { where, columns: new Set(fk.referencedColumns), optional },
  };
}

interface ParentWork {
  index: ModelIndex;
  nodes: PlanNode[];
  existing: PlanNode[];
  errors: Collector;
}

function addCreatedParents(node: PlanNode, work: ParentWork, chain: string[], keys: NullableKeys, choice: ParentsChoice): number {
  const { index, nodes, errors } = work;
  const given = givenForeignKeys(node);
  let added = 0;
  for (const fk of node.table.foreignKeys) {
    if (given.has(fk.name) || fk.columns.some((column) => column in node.set)) continue;
    const required = isRequired(node.table, fk);
    if (!required) {
      if (!wantsParent(node.table, fk, keys)) continue;
      const owner = index.get(fk.references);
      // An optional parent that cannot be made (or would loop) is left NULL, as before.
      if (!owner || ((!owner.provisionable || chain.includes(owner.key) || owner.key === node.table.key) && keys !== 'existing')) continue;
    }
    const parentTable = index.get(fk.references);
    const mode = parentTable ? modeFor(choice, parentTable) : 'per-row';
    if (parentTable && (mode === 'existing' || (!required && keys === 'existing'))) {
      // The application's rows: read, never written; a nullable key with no match stays NULL.
      const rowsOf = existingNode({}, `${node.path}^${fk.name}`, fk, index, errors, !required)!;
      work.existing.push(rowsOf);
      node.created.push({ fk, node: rowsOf });
      continue;
    }
    if (!parentTable || !parentTable.provisionable) {
      errors.add(node.path, `${node.table.label} needs a row of ${fk.references} (${fk.name}), which testapi cannot create${parentTable?.reason ? `: ${parentTable.reason}` : ''}; set ${fk.columns.join(', ')} to an existing row`);
      continue;
    }
    if (chain.includes(parentTable.key) || parentTable.key === node.table.key) {
      errors.add(node.path, `the required foreign keys of ${node.table.label} form a cycle (${[...chain, node.table.key, parentTable.key].join(' -> ')}): set or connect ${fk.columns.join(', ')}`);
      continue;
    }
    // Shared: one parent for every row of the node (three tasks, one reporter).
    const count = mode === 'shared' ? 1 : node.rows;
    const parent: PlanNode = {
      path: `${node.path}^${fk.name}`,
      table: parentTable,
      count,
      rows: count,
      set: {},
      connect: [],
      created: [],
      implicit: true,
    };
    node.created.push({ fk, node: parent });
    nodes.push(parent);
    added += parent.rows + addCreatedParents(parent, work, [...chain, node.table.key], keys, choice);
  }
  return added;
}

/** Kahn's order over "needs the keys of": tree parent, connect targets, created parents. A cycle is the caller's 400. */
function order(nodes: PlanNode[], errors: Collector): PlanNode[] {
  // Existing rows are read before the first write: no node waits for them.
  const { ordered, unplaced } = orderByNeeds(nodes, (node) => [
    ...(node.parent ? [node.parent.node] : []),
    ...node.connect.map((connection) => connection.target).filter((target) => !target.existing),
    ...node.created.map((created) => created.node).filter((created) => !created.existing),
  ]);
  const done = new Set(ordered);
  // Tree and created-parent edges never loop: a cycle always runs through a connect, so name those.
  for (const node of unplaced) {
    const connection = node.connect.find((candidate) => !done.has(candidate.target));
    if (connection) errors.add(`${connection.path}.ref`, `a ref cycle: ${node.path} needs the keys of ${connection.target.path}, which needs this node's first`);
  }
  return ordered;
}

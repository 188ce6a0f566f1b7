import type { CleanupResult, DeleteTagResult, KeptTag, ScenarioList, TableCounts, TagList } from '../client.js';
import { TABLES } from '../generated/tables.js';

function rows(n: number): string {
  return n === 1 ? '1 row' : `${n} rows`;
}

// Rows per table: the shop's TableCounts, or any table names (a service with its own schema answers those).
function countsLine(byTable: Readonly<Record<string, number>>): string {
  // The contract's order (parents first), whatever order the answer's keys arrive in; a table this
  // client does not know (another schema, a newer service) still shows, after the known ones.
  const tables = [...TABLES, ...Object.keys(byTable).filter((table) => !(TABLES as readonly string[]).includes(table))];
  const parts = tables.filter((table) => (byTable[table] ?? 0) > 0).map((table) => `${table} ${byTable[table]}`);
  return parts.length > 0 ? parts.join(', ') : 'no rows';
}

export function formatGraph(result: { tag: string; seed: number; expiresAt: string; counts: Readonly<Record<string, number>> }): string {
  return [`Provisioned a graph (seed ${result.seed}) under tag ${result.tag}, expires ${result.expiresAt}`, `  ${countsLine(result.counts)}`, `  (--json prints the records)`].join('\n');
}

export function formatProvision(result: {
  tag: string;
  scenario: string;
  scenarioVersion: number;
  seed: number;
  expiresAt: string;
  counts: TableCounts;
}): string {
  return [
    `Provisioned ${result.scenario} (v${result.scenarioVersion}, seed ${result.seed}) under tag ${result.tag}, expires ${result.expiresAt}`,
    `  ${countsLine(result.counts)}`,
    `  (--json prints the records)`,
  ].join('\n');
}

// Rows outside the tags deleted because they referenced them (dependents: delete), when there were any.
function dependentsLine(dependents: Readonly<Record<string, number>> | undefined, whose: string): string[] {
  const total = Object.values(dependents ?? {}).reduce((sum, n) => sum + n, 0);
  return total > 0 ? [`  including ${rows(total)} outside ${whose} that referenced ${whose === 'the tag' ? 'it' : 'them'} (${countsLine(dependents!)})`] : [];
}

function referenceLine(reference: KeptTag['references'][number]): string {
  const owner = reference.referencingTag === null ? 'of no tag' : `of tag ${reference.referencingTag}`;
  return `    ${rows(reference.rows)} in ${reference.table} ${owner} reference ${reference.referencedTable} (${reference.constraint})`;
}

export function formatDeleteTag(result: DeleteTagResult): string {
  if (result.total === 0) return `Tag ${result.tag} owned no rows: nothing deleted`;
  return [`Deleted ${rows(result.total)} of tag ${result.tag} (${countsLine(result.deleted)})`, ...dependentsLine(result.dependents, 'the tag')].join('\n');
}

export function formatCleanup(result: CleanupResult): string {
  const kept = result.kept.flatMap((tag) => [`Kept tag ${tag.tag}: rows outside it reference its rows`, ...tag.references.map(referenceLine)]);
  const keptHint = result.kept.length > 0 ? ['(--dependents delete deletes those rows too)'] : [];
  if (result.tags.length === 0) return [result.kept.length === 0 ? 'No tag matched: nothing deleted' : 'Nothing deleted', ...kept, ...keptHint].join('\n');
  const plural = result.tags.length === 1 ? 'tag' : 'tags';
  return [
    `Deleted ${rows(result.total)} across ${result.tags.length} ${plural} (${countsLine(result.deleted)})`,
    ...dependentsLine(result.dependents, 'the tags'),
    ...result.tags.map((tag) => `  ${tag}`),
    ...kept,
    ...keptHint,
  ].join('\n');
}

export function formatTags(list: TagList): string {
  if (list.tags.length === 0) return 'No tags';
  const width = Math.max(3, ...list.tags.map((tag) => tag.tag.length));
  const lines = [`${'TAG'.padEnd(width)}  ${'ROWS'.padStart(8)}  CREATED                   EXPIRES`];
  for (const tag of list.tags) {
    lines.push(`${tag.tag.padEnd(width)}  ${String(tag.total).padStart(8)}  ${tag.createdAt.padEnd(24)}  ${tag.expiresAt}`);
  }
  if (list.nextCursor) lines.push(`More: testapi tags --cursor ${list.nextCursor}`);
  return lines.join('\n');
}

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
}

function describeParam(name: string, schema: JsonSchema): string {
  const details: string[] = [];
  if (schema.enum) details.push(schema.enum.join('|'));
  else if (schema.minimum !== undefined || schema.maximum !== undefined) details.push(`${schema.minimum ?? ''}..${schema.maximum ?? ''}`);
  else if (schema.type) details.push(String(schema.type));
  if (schema.default !== undefined) details.push(`default ${String(schema.default)}`);
  return details.length > 0 ? `${name} (${details.join(', ')})` : name;
}

export function formatScenarios(list: ScenarioList): string {
  return list.scenarios
    .map((scenario) => {
      const params = Object.entries((scenario.paramsSchema as JsonSchema).properties ?? {}).map(([name, schema]) => describeParam(name, schema));
      return [`${scenario.name} (v${scenario.version}): ${scenario.description}`, `  params: ${params.length > 0 ? params.join(', ') : '(none)'}`].join('\n');
    })
    .join('\n');
}

import type { Config } from '../config';
import { notFound } from '../errors';
import type { SchemaRegistry } from '../schema/schema-registry';
import { tableRules } from './anonymize-rules';

export interface SourceRulesView {
  source: string;
  tables: Array<{
    table: string;
    columns: Array<{ name: string; type: string; rule: string; kind: string | null; filterable: boolean; reason: string }>;
  }>;
}

/** GET /sources/{source}/rules: what a copy from this source does with every column of every modelled table, and why. */
export async function sourceRulesView(deps: { schema: SchemaRegistry; config: Pick<Config, 'sources' | 'sourceRules'> }, source: string): Promise<SourceRulesView> {
  if (!(source in deps.config.sources)) {
    const names = Object.keys(deps.config.sources);
    throw notFound(`No source "${source}" is configured: TESTAPI_SOURCES names ${names.length > 0 ? names.join(', ') : 'none'}.`);
  }
  const index = await deps.schema.current();
  const configured = deps.config.sourceRules[source] ?? {};
  return {
    source,
    tables: index.model.tables.map((table) => ({
      table: table.label,
      columns: tableRules(table, configured).map(({ column, rule }) => ({ name: column.name, type: column.type, rule: rule.rule, kind: rule.kind, filterable: rule.filterable, reason: rule.reason })),
    })),
  };
}

import type { Pool } from 'pg';
import type { SchemaRegistry } from '../schema/schema-registry';
import type { ModelIndex } from '../schema/schema-model';
import { countLedgerRowsOfTags } from './ledger.repository';
import { countRowsOfTags } from './tag.repository';

/**
 * Rows a tag owns per table, wherever they are: the shop tables by test_tag
 * (not in a target schema, where they do not exist) and every other table
 * through the row ledger, keyed by the table's label.
 */
export interface TagCountsDeps {
  pool: Pool;
  schema?: SchemaRegistry;
}

interface LedgerView {
  index: ModelIndex;
  targetMode: boolean;
}

async function ledgerViewOf(schema: SchemaRegistry | undefined): Promise<LedgerView | undefined> {
  if (!schema) return undefined;
  const index = await schema.current();
  if (!schema.targetMode && index.model.tables.every((table) => table.hasTestTag || !table.provisionable)) return undefined;
  return { index, targetMode: schema.targetMode };
}

function relabel(index: ModelIndex, byKey: Record<string, number> | undefined): Record<string, number> {
  return Object.fromEntries(Object.entries(byKey ?? {}).map(([key, n]) => [index.get(key)?.label ?? key, n]));
}

export async function countsOfTags(deps: TagCountsDeps, tags: readonly string[]): Promise<Map<string, Record<string, number>>> {
  const view = await ledgerViewOf(deps.schema);
  const shop: Map<string, Record<string, number>> = view?.targetMode ? new Map() : await countRowsOfTags(deps.pool, tags);
  if (!view) return shop;
  const ledger = await countLedgerRowsOfTags(deps.pool, tags);
  return new Map(tags.map((tag) => [tag, { ...(shop.get(tag) ?? {}), ...relabel(view.index, ledger.get(tag)) }]));
}

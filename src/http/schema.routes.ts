import { Router } from 'express';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { schemaRegistryOf } from '../schema/schema-registry';
import type { ModelIndex } from '../schema/schema-model';
import { columnRule } from '../copies/anonymize-rules';
import { validationError, type FieldError } from '../errors';

export interface SchemaRoutesDeps {
  config: Pick<Config, 'targetSchemas' | 'uniqueDeclarations'>;
  db: Database;
}

interface SchemaQuery {
  format: 'full' | 'summary';
  /** One table's key or label. */
  table?: string;
}

/** ?format= and ?table=, each at most once; every bad one named. */
function parseSchemaQuery(query: Record<string, unknown>): SchemaQuery {
  const errors: FieldError[] = [];
  const { format = 'full', table } = query;
  if (format !== 'full' && format !== 'summary') errors.push({ path: 'format', message: 'must be full or summary, given once' });
  if (table !== undefined && (typeof table !== 'string' || table.length === 0 || table.length > 300)) errors.push({ path: 'table', message: 'must be one table key or label of 1 to 300 characters' });
  if (errors.length > 0) throw validationError(errors);
  return { format: format as SchemaQuery['format'], table: table as string | undefined };
}

/** One line per table: what a large schema's reader needs to choose a table, without its megabytes. */
function summarize(index: ModelIndex, targetMode: boolean): object {
  const { model } = index;
  const tables = model.tables.map((table) => ({
    key: table.key,
    label: table.label,
    columns: table.columns.length,
    foreignKeys: table.foreignKeys.length,
    provisionable: table.provisionable,
    reason: table.reason,
  }));
  return { mode: targetMode ? 'target' : 'shop', schemas: model.schemas, loadedAt: model.loadedAt, format: 'summary', tables };
}

function describe(index: ModelIndex, targetMode: boolean, only?: string): object {
  const { model } = index;
  const chosen = only === undefined ? model.tables : model.tables.filter((table) => table.key === only || table.label === only);
  if (only !== undefined && chosen.length === 0) throw validationError([{ path: 'table', message: `no table "${only}" in the model (GET /schema?format=summary lists them)` }]);
  // Each column says what a sanitized copy (POST /tags/{tag}/copies) does with it before any source's own rules (GET /sources/{source}/rules).
  const tables = chosen.map((table) => ({
    ...table,
    columns: table.columns.map((column) => {
      const { rule, reason } = columnRule(table, column);
      return { ...column, anonymize: { rule, reason } };
    }),
  }));
  return { mode: targetMode ? 'target' : 'shop', schemas: model.schemas, loadedAt: model.loadedAt, tables };
}

/** GET /schema (the model testapi provisions from) and POST /schema/reload (re-read it after a migration). */
export function schemaRoutes(deps: SchemaRoutesDeps): Router {
  const router = Router();
  const registry = schemaRegistryOf(deps.db, deps.config);

  router.get('/schema', async (req, res) => {
    const query = parseSchemaQuery(req.query as Record<string, unknown>);
    const index = await registry.current();
    res.json(query.format === 'summary' ? summarize(index, registry.targetMode) : describe(index, registry.targetMode, query.table));
  });

  router.post('/schema/reload', async (_req, res) => {
    res.json(describe(await registry.reload(), registry.targetMode));
  });

  return router;
}

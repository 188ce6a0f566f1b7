import { escapeIdentifier, type PoolClient } from 'pg';
import { validationError } from '../errors';
import { ledgerKey } from '../tags/row-identity';
import type { GraphPlan, PlanNode } from './graph-plan';
import { MAX_EXISTING_ROWS } from './graph-request';
import { qualifiedName } from './key-allocator';

type Row = Record<string, unknown>;

/**
 * Reads the application's rows a graph references (connect `existing`,
 * parents "existing"), inside the request's transaction and before the first
 * write: rows matching `where`, in key order (so a seed spreads the same way
 * over the same rows), at most MAX_EXISTING_ROWS. Rows testapi created for
 * any tag are left out: referencing them would tie this tag to another
 * one's cleanup. Nothing is locked, written or recorded; the referencing
 * keys are checked by PostgreSQL as usual.
 */
export async function readExistingRows(client: PoolClient, plan: GraphPlan): Promise<Map<PlanNode, Row[]>> {
  const found = new Map<PlanNode, Row[]>();
  for (const node of plan.existing) {
    const { table } = node;
    const { where, columns, optional } = node.existing!;
    const params: unknown[] = [];
    const conditions = Object.entries(where).map(([name, value]) => {
      params.push(value);
      return `t.${escapeIdentifier(name)} = $${params.length}`;
    });
    if (table.hasTestTag) conditions.push('t.test_tag IS NULL');
    else {
      params.push(table.key);
      conditions.push(`NOT EXISTS (SELECT 1 FROM testapi_row_ledger l WHERE l.table_name = $${params.length} AND l.pk = ${ledgerKey(table, 't')})`);
    }
    const keyOrder = (table.primaryKey.length > 0 ? table.primaryKey : [...columns]).map((name) => `t.${escapeIdentifier(name)}`).join(', ');
    // As text: the referencing INSERT takes each value as its own column's type.
    const select = [...columns].map((name) => `t.${escapeIdentifier(name)}::text AS ${escapeIdentifier(name)}`).join(', ');
    const result = await client.query<Row>(
      `SELECT ${select} FROM ONLY ${qualifiedName(table)} t WHERE ${conditions.length > 0 ? conditions.join(' AND ') : 'true'} ORDER BY ${keyOrder} LIMIT ${MAX_EXISTING_ROWS}`,
      params,
    );
    if (result.rows.length === 0 && !optional) {
      const filter = Object.keys(where).length > 0 ? ` matching ${JSON.stringify(where)}` : '';
      throw validationError([{ path: node.path, message: `no existing row of ${table.label}${filter} (rows testapi created are not counted): create one, or connect another way` }]);
    }
    found.set(node, result.rows);
  }
  return found;
}

import { createHash } from 'node:crypto';
import type { ModelIndex, TableModel } from '../schema/schema-model';

/**
 * The snapshot file: a tag's rows as stored, tables parents first, with
 * enough of the model (columns, keys) to tell on import whether today's
 * schema can still take them. Bump FORMAT_VERSION only when an older reader
 * could misread a newer file; additions of optional members do not need it.
 */
export const SNAPSHOT_FORMAT = 'testapi.snapshot';
export const SNAPSHOT_FORMAT_VERSION = 1;

export type Row = Record<string, unknown>;

export interface SnapshotColumn {
  name: string;
  type: string;
  nullable: boolean;
}

export interface SnapshotForeignKey {
  name: string;
  columns: string[];
  references: string;
  referencedColumns: string[];
}

/** One table's header: its shape when it was exported. */
export interface SnapshotTable {
  /** `schema.table`. */
  table: string;
  columns: SnapshotColumn[];
  primaryKey: string[];
  foreignKeys: SnapshotForeignKey[];
  rows: number;
}

export interface SnapshotHeader {
  format: typeof SNAPSHOT_FORMAT;
  formatVersion: number;
  model: { fingerprint: string; schemas: string[] };
  tag: string;
  exportedAt: string;
  tables: SnapshotTable[];
}

/** A whole snapshot in memory (the JSON form; NDJSON carries the same in lines). */
export interface Snapshot extends SnapshotHeader {
  tables: Array<SnapshotTable & { rows: number; data: Row[] }>;
}

/** Columns a snapshot carries: the tag column is the importer's business, not the data's. */
export function exportedColumns(table: TableModel): TableModel['columns'] {
  return table.columns.filter((column) => !(table.hasTestTag && column.name === 'test_tag'));
}

export function describeTable(table: TableModel, rows: number): SnapshotTable {
  return {
    table: table.key,
    columns: exportedColumns(table).map((column) => ({ name: column.name, type: column.type, nullable: column.nullable })),
    primaryKey: table.primaryKey,
    foreignKeys: table.foreignKeys.map((fk) => ({ name: fk.name, columns: fk.columns, references: fk.references, referencedColumns: fk.referencedColumns })),
    rows,
  };
}

/**
 * A hash of what decides whether rows fit: tables, columns (name, type,
 * nullability), keys. Generators, comments and CHECK texts are left out, so a
 * reload that changes none of those keeps the fingerprint.
 */
export function modelFingerprint(index: ModelIndex): string {
  const shape = index.model.tables
    .map((table) => describeTable(table, 0))
    .map(({ rows: _rows, ...rest }) => rest)
    .sort((a, b) => a.table.localeCompare(b.table));
  return `sha256:${createHash('sha256').update(JSON.stringify(shape)).digest('hex')}`;
}

import type { UniqueBy } from './declared-uniques';
/**
 * What testapi knows about the tables it provisions: read from PostgreSQL at
 * start-up and on POST /schema/reload, never written back. Every name here
 * comes from the catalog, so SQL built from it quotes catalog identifiers,
 * never request text.
 */

export type OnDeleteAction = 'NO ACTION' | 'RESTRICT' | 'CASCADE' | 'SET NULL' | 'SET DEFAULT';

/** How testapi fills a column, and why (GET /schema shows both). */
export interface Generator {
  kind: string;
  reason: string;
}

export interface ColumnModel {
  name: string;
  /** As PostgreSQL prints it: `character varying(40)`, `mpaa_rating`, `text[]`. */
  type: string;
  /** The type under a domain and an array: `int4`, `varchar`, `numeric`, `mpaa_rating`. */
  baseType: string;
  isArray: boolean;
  nullable: boolean;
  default: string | null;
  identity: 'always' | 'by default' | null;
  /** A stored generated column: PostgreSQL computes it, a value for it is refused. */
  generated: boolean;
  /** Its default draws from a sequence (serial, bigserial or a hand-written nextval). */
  sequence: string | null;
  length: number | null;
  precision: number | null;
  scale: number | null;
  enumName: string | null;
  enumValues: string[] | null;
  domainName: string | null;
  /** Values a CHECK (or domain CHECK) restricts the column to, when it is a simple IN list. */
  allowed: string[] | null;
  /** Bounds a simple range CHECK puts on the column (inclusive). */
  min: number | null;
  max: number | null;
  /** Part of a unique constraint or unique index (partial ones too), or unique by declaration or inference: generated values are salted per request. */
  unique: boolean;
  /** Why `unique` (see declared-uniques.ts); null when not unique. */
  uniqueBy: UniqueBy | null;
  generator: Generator;
}

export interface ForeignKeyModel {
  name: string;
  columns: string[];
  /** Key of the referenced table (`schema.table`). */
  references: string;
  referencedColumns: string[];
  onDelete: OnDeleteAction;
}

export interface UniqueModel {
  name: string;
  columns: string[];
  /** The WHERE of a partial unique index. */
  predicate: string | null;
  kind: 'constraint' | 'index';
}

export interface CheckModel {
  name: string;
  definition: string;
  columns: string[];
}

export interface TriggerModel {
  name: string;
  definition: string;
}

export interface TableModel {
  schema: string;
  name: string;
  /** `schema.table`: unique across the modelled schemas. */
  key: string;
  /** The table name alone when no other modelled schema has one of that name, else `schema.table`. */
  label: string;
  columns: ColumnModel[];
  primaryKey: string[];
  foreignKeys: ForeignKeyModel[];
  uniques: UniqueModel[];
  checks: CheckModel[];
  triggers: TriggerModel[];
  partitioned: boolean;
  /** Rows carry a test_tag column (the shop tables): found by it, not through the ledger. */
  hasTestTag: boolean;
  provisionable: boolean;
  /** Why not, when it is not. */
  reason: string | null;
}

export interface SchemaModel {
  schemas: string[];
  tables: TableModel[];
  loadedAt: string;
}

/** Lookups over one model: by key, by label or by bare name when that is unambiguous. */
export class ModelIndex {
  private readonly byKey = new Map<string, TableModel>();
  private readonly byName = new Map<string, TableModel[]>();

  constructor(readonly model: SchemaModel) {
    for (const table of model.tables) {
      this.byKey.set(table.key, table);
      this.byName.set(table.name, [...(this.byName.get(table.name) ?? []), table]);
    }
  }

  get(key: string): TableModel | undefined {
    return this.byKey.get(key);
  }

  /** A table as a request names it: `name` when unambiguous, or `schema.name`. */
  resolve(name: string): TableModel | undefined {
    const exact = this.byKey.get(name);
    if (exact) return exact;
    const named = this.byName.get(name);
    return named?.length === 1 ? named[0] : undefined;
  }

  /** Foreign keys of every modelled table that reference `key`. */
  referencing(key: string): Array<{ table: TableModel; fk: ForeignKeyModel }> {
    return this.model.tables.flatMap((table) => table.foreignKeys.filter((fk) => fk.references === key).map((fk) => ({ table, fk })));
  }
}

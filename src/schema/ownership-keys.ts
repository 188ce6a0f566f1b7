import type { ForeignKeyModel, TableModel } from './schema-model';
/**
 * Column names that say whose row it is (`userId`, `author_id`, `owner_id`,
 * `created_by`): an ORM's `belongsTo` makes them nullable, yet the
 * application treats a row without one as broken (an article with no author
 * answered 500 to every reader of Conduit's list, issue 28).
 */
const OWNERSHIP = /^(user|owner|author|creator|created_by|creator_user|account|tenant|organi[sz]ation|org|workspace|poster|uploader|uploaded_by|posted_by)(_?id)?$/;

function snakeName(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** A foreign key every column of which may be NULL and has no default: nothing forces a value. */
export function isOptional(table: Pick<TableModel, 'columns'>, fk: ForeignKeyModel): boolean {
  return fk.columns.every((name) => {
    const column = table.columns.find((candidate) => candidate.name === name);
    return column !== undefined && column.nullable && column.default === null && column.identity === null && !column.generated;
  });
}

/** An optional foreign key whose column names the row's owner. */
export function isOwnershipKey(table: Pick<TableModel, 'columns'>, fk: ForeignKeyModel): boolean {
  return isOptional(table, fk) && fk.columns.some((name) => OWNERSHIP.test(snakeName(name)));
}

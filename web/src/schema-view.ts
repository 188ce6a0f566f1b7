import { byId, h, replaceChildren } from './dom.js';

type Json = Record<string, unknown>;

/**
 * GET /schema (the model of 'Your schema'): tables, keys, foreign keys and the
 * generator per column. The model is read loosely: a field this page does not
 * know is shown as compact JSON text rather than dropped.
 */
function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join(', ');
  return JSON.stringify(value);
}

function columnList(value: unknown): string {
  const columns = (value as Json | null)?.columns ?? value;
  return `(${text(columns)})`;
}

function foreignKey(fk: Json): string {
  const references = (fk.references ?? {}) as Json;
  const target = `${text(references.schema ? `${text(references.schema)}.${text(references.table)}` : references.table ?? fk.referencedTable)}`;
  const name = fk.name ? `${text(fk.name)}: ` : '';
  const onDelete = fk.onDelete ? ` on delete ${text(fk.onDelete)}` : '';
  return `${name}${columnList(fk.columns)} → ${target} ${columnList(references.columns ?? fk.referencedColumns)}${onDelete}`;
}

function generator(column: Json): string {
  const value = column.generator;
  if (typeof value === 'object' && value !== null) {
    const described = value as Json;
    const kind = text(described.kind ?? described.name ?? described.type);
    return described.reason ? `${kind}: ${text(described.reason)}` : kind || text(value);
  }
  return text(value);
}

function tableSection(table: Json): HTMLElement {
  const name = table.schema ? `${text(table.schema)}.${text(table.name)}` : text(table.name);
  const columns = (Array.isArray(table.columns) ? table.columns : []) as Json[];
  const foreignKeys = (Array.isArray(table.foreignKeys) ? table.foreignKeys : []) as Json[];
  const uniques = (Array.isArray(table.unique) ? table.unique : Array.isArray(table.uniqueConstraints) ? table.uniqueConstraints : []) as unknown[];
  const unsupported = table.provisionable === false || typeof table.unsupported === 'string' || typeof table.reason === 'string';

  return h(
    'section',
    { class: 'card schema-table', attrs: { 'data-table': name } },
    h('h3', {}, name),
    unsupported && h('p', { class: 'badge-line' }, `Not provisionable: ${text(table.reason ?? table.unsupported)}`),
    h('p', {}, `Primary key: ${table.primaryKey ? columnList(table.primaryKey) : 'none'}`),
    foreignKeys.length > 0 && h('ul', { class: 'fks', attrs: { 'aria-label': `Foreign keys of ${name}` } }, ...foreignKeys.map((fk) => h('li', {}, foreignKey(fk)))),
    uniques.length > 0 && h('p', {}, `Unique: ${uniques.map((unique) => columnList(unique)).join(', ')}`),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'columns' },
        h('caption', { class: 'visually-hidden' }, `Columns of ${name}`),
        h('thead', {}, h('tr', {}, ...['Column', 'Type', 'Null', 'Default', 'Generator'].map((label) => h('th', { attrs: { scope: 'col' } }, label)))),
        h(
          'tbody',
          {},
          ...columns.map((column) =>
            h(
              'tr',
              {},
              h('th', { attrs: { scope: 'row', 'data-label': 'Column' } }, h('code', {}, text(column.name))),
              h('td', { attrs: { 'data-label': 'Type' } }, text(column.type ?? column.dataType)),
              h('td', { attrs: { 'data-label': 'Null' } }, column.nullable === true ? 'yes' : column.nullable === false ? 'no' : text(column.nullable)),
              h('td', { attrs: { 'data-label': 'Default' } }, text(column.default)),
              h('td', { attrs: { 'data-label': 'Generator' } }, generator(column)),
            ),
          ),
        ),
      ),
    ),
  );
}

export function renderSchema(model: unknown): void {
  const tables = (Array.isArray((model as Json | null)?.tables) ? (model as Json).tables : []) as Json[];
  const content = byId('schema-content');
  if (tables.length === 0) {
    replaceChildren(content, h('p', {}, 'The schema model lists no tables.'));
    return;
  }
  replaceChildren(content, h('p', {}, `${tables.length} tables modelled.`), ...tables.map(tableSection));
}

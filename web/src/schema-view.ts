import type { components } from '@testapi/client/src/generated/openapi.js';
import { byId, h, replaceChildren } from './dom.js';
import { absoluteTime, plural, relativeTime } from './format.js';

/** GET /schema: the tables testapi provisions and how it fills each column. */
export type SchemaModel = components['schemas']['SchemaModel'];
type SchemaTable = components['schemas']['SchemaTable'];
type SchemaColumn = components['schemas']['SchemaColumn'];

const list = (columns: string[]): string => `(${columns.join(', ')})`;

function typeText(column: SchemaColumn): string {
  const values = column.enumValues ?? column.allowed;
  const extras = [
    column.identity ? `identity ${column.identity}` : '',
    column.generated ? 'generated' : '',
    column.unique ? 'unique' : '',
    values ? `one of ${values.join(', ')}` : '',
  ].filter(Boolean);
  return extras.length > 0 ? `${column.type}; ${extras.join('; ')}` : column.type;
}

function facts(table: SchemaTable): HTMLElement {
  const items: (string | false)[] = [
    `Primary key: ${table.primaryKey.length > 0 ? list(table.primaryKey) : 'none'}`,
    ...table.foreignKeys.map((fk) => `Foreign key ${fk.name}: ${list(fk.columns)} → ${fk.references} ${list(fk.referencedColumns)}, on delete ${fk.onDelete}`),
    ...table.uniques.map((unique) => `Unique ${unique.kind} ${unique.name}: ${list(unique.columns)}${unique.predicate ? ` where ${unique.predicate}` : ''}`),
    ...table.checks.map((check) => `Check ${check.name}: ${check.definition}`),
    table.triggers.length > 0 && `Triggers: ${table.triggers.map((trigger) => trigger.name).join(', ')}`,
    table.hasTestTag ? 'Rows found by their test_tag column.' : 'Rows recorded in testapi’s row ledger (no test_tag column).',
    table.partitioned && 'Partitioned.',
  ];
  return h('ul', { class: 'facts' }, ...items.filter((item): item is string => Boolean(item)).map((item) => h('li', {}, item)));
}

function columnsTable(table: SchemaTable): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'columns' },
      h('caption', { class: 'visually-hidden' }, `Columns of ${table.label}`),
      h('thead', {}, h('tr', {}, ...['Column', 'Type', 'Null', 'Default', 'Generator'].map((label) => h('th', { attrs: { scope: 'col' } }, label)))),
      h(
        'tbody',
        {},
        ...table.columns.map((column) =>
          h(
            'tr',
            {},
            h('th', { attrs: { scope: 'row', 'data-label': 'Column' } }, h('code', {}, column.name)),
            h('td', { attrs: { 'data-label': 'Type' } }, typeText(column)),
            h('td', { attrs: { 'data-label': 'Null' } }, column.nullable ? 'yes' : 'no'),
            h('td', { attrs: { 'data-label': 'Default' } }, column.default ?? ''),
            h('td', { attrs: { 'data-label': 'Generator' } }, h('strong', {}, column.generator.kind), ` ${column.generator.reason}`),
          ),
        ),
      ),
    ),
  );
}

function tableSection(table: SchemaTable, open: boolean): HTMLElement {
  const summary = [plural(table.columns.length, 'column'), plural(table.foreignKeys.length, 'foreign key')].join(', ');
  return h(
    'details',
    { class: 'card schema-table', attrs: { 'data-table': table.key, open } },
    h(
      'summary',
      {},
      h('code', { class: 'table-name' }, table.label),
      ` ${summary}`,
      !table.provisionable && h('span', { class: 'badge' }, 'not provisionable'),
    ),
    !table.provisionable && h('p', { class: 'reason' }, `Cannot be provisioned: ${table.reason ?? 'no reason given'}`),
    facts(table),
    columnsTable(table),
  );
}

export function renderSchema(model: SchemaModel): void {
  const content = byId('schema-content');
  const where = model.mode === 'target' ? `the target schemas ${model.schemas.join(', ')}` : 'the built-in shop tables';
  replaceChildren(
    content,
    h('p', {}, `${plural(model.tables.length, 'table')} modelled from ${where}, read ${relativeTime(model.loadedAt)} (${absoluteTime(model.loadedAt)}). Open a table for its columns and generators.`),
    ...model.tables.map((table, index) => tableSection(table, index === 0)),
  );
}

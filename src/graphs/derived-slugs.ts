import type { ColumnModel } from '../schema/schema-model';
import { salted } from './value-factory';

/**
 * A slug made from its row's title (issue 28, "values people recognise"):
 * an article "Dragons of the Deep" gets `dragons-of-the-deep`, salted like
 * any unique value, rather than lorem words unrelated to it. The title may
 * be drawn or given in set; a slug given in set is left alone.
 */
interface PlannedColumn {
  column: ColumnModel;
  values: (row: number) => unknown;
}

/** Columns a slug is made from, most telling first. */
const SOURCE_NAMES = ['title', 'name', 'headline', 'subject', 'label', 'display_name', 'displayName', 'full_name', 'fullName'];

export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Wraps each drawn slug column of `columns` to follow its row's title; `salt(row)` as the value factory salts. */
export function deriveSlugs(columns: PlannedColumn[], drawn: ReadonlySet<string>, salt: (row: number) => string): void {
  for (const slug of columns) {
    if (slug.column.generator.kind !== 'slug' || !drawn.has(slug.column.name)) continue;
    const source = SOURCE_NAMES.map((name) => columns.find((entry) => entry.column.name === name)).find((entry) => entry !== undefined);
    if (!source) continue;
    const { column } = slug;
    const fallback = slug.values;
    const title = source.values;
    slug.values = (row) => {
      const text = title(row);
      const base = typeof text === 'string' ? slugify(text) : '';
      if (base === '') return fallback(row);
      return column.unique ? salted(base, salt(row), column.length) : column.length === null ? base : base.slice(0, column.length).replace(/-+$/, '');
    };
  }
}

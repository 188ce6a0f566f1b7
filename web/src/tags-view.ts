import type { components } from '@testapi/client/src/generated/openapi.js';
import { api } from './api.js';
import { confirmAction } from './dialogs.js';
import { byId, h, replaceChildren } from './dom.js';
import { absoluteTime, count, plural, relativeTime, tableCounts } from './format.js';
import { showError, showMessage } from './messages.js';
import { ApiError } from './problem.js';
import { wireCleanupForms } from './cleanup-forms.js';

type TagSummary = components['schemas']['TagSummary'];
type TagList = components['schemas']['TagList'];
type DeleteTagResult = components['schemas']['DeleteTagResult'];

type Sort = 'newest' | 'oldest' | 'largest' | 'smallest';

const SORTS: Record<Sort, (a: TagSummary, b: TagSummary) => number> = {
  newest: (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt),
  oldest: (a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt),
  largest: (a, b) => b.total - a.total,
  smallest: (a, b) => a.total - b.total,
};

/** `?pageSize=` on the page URL changes how many tags one API page holds (1-1000, default 50). */
function pageSize(): number {
  const asked = Number(new URLSearchParams(location.search).get('pageSize'));
  return Number.isInteger(asked) && asked >= 1 && asked <= 1000 ? asked : 50;
}

/** The tag list: one API page at a time (GET /tags with its cursor), filtered by prefix on the server, sorted here. */
export class TagsView {
  private tags: TagSummary[] = [];
  private nextCursor: string | null = null;
  private prefix = '';
  private loading = false;
  private generation = 0;
  private readonly status = byId('status');
  private readonly list = byId('tags-list');
  private readonly summary = byId('tags-summary');
  private readonly more = byId<HTMLButtonElement>('tags-more');
  private readonly sort = byId<HTMLSelectElement>('tag-sort');

  constructor() {
    byId<HTMLFormElement>('tag-filter').addEventListener('submit', (event) => {
      event.preventDefault();
      this.prefix = byId<HTMLInputElement>('tag-prefix').value.trim();
      void this.reload();
    });
    byId('tags-refresh').addEventListener('click', () => void this.reload());
    this.sort.addEventListener('change', () => this.render());
    this.more.addEventListener('click', () => void this.loadMore());
    wireCleanupForms(this.status, () => this.reload());
  }

  async reload(): Promise<void> {
    // A page still in flight belongs to the old list: its answer is dropped.
    this.generation += 1;
    this.tags = [];
    this.nextCursor = null;
    await this.fetchPage(this.generation);
  }

  private async loadMore(): Promise<void> {
    if (!this.loading) await this.fetchPage(this.generation);
  }

  private async fetchPage(generation: number): Promise<void> {
    this.loading = true;
    this.list.setAttribute('aria-busy', 'true');
    const query = new URLSearchParams({ limit: String(pageSize()) });
    if (this.prefix) query.set('prefix', this.prefix);
    if (this.nextCursor) query.set('cursor', this.nextCursor);
    try {
      const page = await api<TagList>('GET', `/tags?${query}`);
      if (generation !== this.generation) return;
      this.tags.push(...page.tags);
      this.nextCursor = page.nextCursor;
      this.render();
    } catch (error) {
      if (generation === this.generation) showError(this.status, 'Could not list the tags.', error);
    } finally {
      if (generation === this.generation) {
        this.loading = false;
        this.list.removeAttribute('aria-busy');
      }
    }
  }

  private render(): void {
    const now = Date.now();
    const allRows = this.tags.reduce((sum, tag) => sum + tag.total, 0);
    const filtered = this.prefix ? ` starting with "${this.prefix}"` : '';
    const more = this.nextCursor ? ' (more on the next page; sorting and shares cover the tags loaded)' : '';
    replaceChildren(this.summary, `${plural(this.tags.length, 'tag')}${filtered} listed, ${plural(allRows, 'row')} in all${more}.`);
    this.more.hidden = this.nextCursor === null;

    if (this.tags.length === 0) {
      replaceChildren(this.list, h('p', { class: 'empty' }, this.prefix ? `No tag starts with "${this.prefix}".` : 'No tags: this environment holds no tagged data.'));
      return;
    }
    const sorted = [...this.tags].sort(SORTS[this.sort.value as Sort] ?? SORTS.newest);
    // Explicit roles: on a phone the table is laid out as cards (display: block), which drops its native semantics.
    const table = h(
      'table',
      { class: 'tags', attrs: { role: 'table' } },
      h('caption', { class: 'visually-hidden' }, 'Registered tags with their rows; the bar shows each tag’s share of the rows listed'),
      h(
        'thead',
        { attrs: { role: 'rowgroup' } },
        h(
          'tr',
          { attrs: { role: 'row' } },
          ...['Tag', 'Created', 'Expires', 'Rows', 'Share', 'Actions'].map((label) => h('th', { attrs: { scope: 'col', role: 'columnheader' } }, label)),
        ),
      ),
      h('tbody', { attrs: { role: 'rowgroup' } }, ...sorted.map((tag) => this.row(tag, allRows, now))),
    );
    replaceChildren(this.list, h('div', { class: 'table-wrap' }, table));
  }

  private row(tag: TagSummary, allRows: number, now: number): HTMLTableRowElement {
    const expired = Date.parse(tag.expiresAt) <= now;
    const share = allRows > 0 ? tag.total / allRows : 0;
    const fill = h('span', { class: 'bar-fill' });
    // CSSOM, not a style attribute: the CSP forbids inline styles.
    fill.style.width = `${(share * 100).toFixed(1)}%`;
    const labels = Object.entries(tag.labels).map(([key, value]) => `${key}=${value}`).join(', ');

    return h(
      'tr',
      { class: expired ? 'expired' : undefined, attrs: { role: 'row', 'data-tag': tag.tag } },
      h(
        'th',
        { attrs: { scope: 'row', role: 'rowheader', 'data-label': 'Tag' } },
        h('code', { class: 'tag-name' }, tag.tag),
        expired && h('span', { class: 'badge' }, 'expired'),
        labels && h('span', { class: 'labels' }, labels),
      ),
      h('td', { attrs: { role: 'cell', 'data-label': 'Created' } }, this.time(tag.createdAt, now)),
      h('td', { attrs: { role: 'cell', 'data-label': 'Expires' } }, this.time(tag.expiresAt, now)),
      h(
        'td',
        { attrs: { role: 'cell', 'data-label': 'Rows' } },
        h('span', { class: 'total' }, count(tag.total)),
        h('span', { class: 'per-table' }, tableCounts(tag.counts)),
      ),
      h(
        'td',
        { attrs: { role: 'cell', 'data-label': 'Share' } },
        h('span', { class: 'bar', attrs: { 'aria-hidden': 'true' } }, fill),
        h('span', { class: 'share' }, `${(share * 100).toFixed(share > 0 && share < 0.01 ? 1 : 0)}%`),
      ),
      h(
        'td',
        { attrs: { role: 'cell', 'data-label': 'Actions' } },
        h('button', { class: 'danger', attrs: { type: 'button', 'aria-label': `Delete tag ${tag.tag}` }, on: { click: () => void this.delete(tag) } }, 'Delete'),
      ),
    );
  }

  private time(iso: string, now: number): HTMLTimeElement {
    return h('time', { attrs: { datetime: iso, title: absoluteTime(iso) } }, relativeTime(iso, now));
  }

  private async delete(tag: TagSummary): Promise<void> {
    const confirmed = await confirmAction(
      `Delete tag ${tag.tag}?`,
      `This deletes tag ${tag.tag} and its ${plural(tag.total, 'row')} (${tableCounts(tag.counts)}) from PostgreSQL. It cannot be undone.`,
      `Delete ${plural(tag.total, 'row')}`,
    );
    if (confirmed) await this.remove(tag, false);
    // The row (and the button that had focus) may be gone: keyboard users continue from the answer.
    this.status.focus();
  }

  private async remove(tag: TagSummary, withDependents: boolean): Promise<void> {
    try {
      const query = withDependents ? '?dependents=delete' : '';
      const result = await api<DeleteTagResult>('DELETE', `/tags/${encodeURIComponent(tag.tag)}${query}`);
      const lines = [`Deleted tag ${result.tag}: ${plural(result.total, 'row')}.`, tableCounts(result.deleted)];
      if (result.dependents && Object.keys(result.dependents).length > 0) lines.push(`Rows outside the tag that referenced it, deleted too: ${tableCounts(result.dependents)}.`);
      showMessage(this.status, 'ok', lines);
      this.tags = this.tags.filter((candidate) => candidate.tag !== tag.tag);
      this.render();
    } catch (error) {
      showError(this.status, `Could not delete tag ${tag.tag}.`, error);
      if (!withDependents && deletableDependents(error)) this.offerDependents(tag, error.problem.references as Reference[]);
    }
  }

  /**
   * After a 409 whose referencing rows are no tag's (the application's own,
   * in the target schemas): what references the tag, one line each, and a
   * button that deletes the tag with them, behind its own confirmation.
   */
  private offerDependents(tag: TagSummary, references: Reference[]): void {
    const described = references.map((ref) => `${plural(ref.rows, 'row')} of ${ref.table} (${ref.constraint}) reference its rows in ${ref.referencedTable}.`);
    const button = h(
      'button',
      { class: 'danger', attrs: { type: 'button' }, on: { click: () => void this.deleteWithDependents(tag, described) } },
      'Delete with dependents',
    );
    this.status.append(...described.map((line) => h('span', { class: 'line' }, line)), h('span', { class: 'line' }, button));
  }

  private async deleteWithDependents(tag: TagSummary, described: string[]): Promise<void> {
    const confirmed = await confirmAction(
      `Delete tag ${tag.tag} and the rows that reference it?`,
      `${described.join(' ')} Those rows are not the tag's: your application or someone else wrote them. This deletes them (and rows referencing them, in turn) with the tag's ${plural(tag.total, 'row')}. It cannot be undone.`,
      'Delete with dependents',
    );
    if (confirmed) await this.remove(tag, true);
    this.status.focus();
  }
}

interface Reference {
  table: string;
  constraint: string;
  referencedTable: string;
  rows: number;
}

/** A 409 tag-referenced that dependents=delete would resolve: the service says so in `dependentsDeletable`. */
function deletableDependents(error: unknown): error is ApiError {
  if (!(error instanceof ApiError) || error.status !== 409 || !/tag-referenced$/.test(error.problem.type)) return false;
  return error.problem.dependentsDeletable === true && Array.isArray(error.problem.references) && error.problem.references.length > 0;
}

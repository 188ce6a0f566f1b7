import type { components } from '@testapi/client/src/generated/openapi.js';
import { api } from './api.js';
import { confirmAction } from './dialogs.js';
import { byId } from './dom.js';
import { plural, tableCounts } from './format.js';
import { showError, showMessage } from './messages.js';

type CleanupResult = components['schemas']['CleanupResult'];
type CleanupRequest = components['schemas']['CleanupRequest'];

function describeResult(result: CleanupResult): string[] {
  if (result.tags.length === 0) return ['No tag matched: nothing was deleted.'];
  return [`Deleted ${plural(result.tags.length, 'tag')} and ${plural(result.total, 'row')}.`, `Tags: ${result.tags.join(', ')}`, tableCounts(result.deleted)];
}

async function run(status: HTMLElement, request: CleanupRequest, question: string, after: () => Promise<void>): Promise<void> {
  if (!(await confirmAction('Delete tags?', question, 'Delete'))) return;
  try {
    showMessage(status, 'ok', describeResult(await api<CleanupResult>('POST', '/cleanup', request)));
    await after();
  } catch (error) {
    showError(status, 'The cleanup failed; nothing was deleted.', error);
  }
  status.focus();
}

/** POST /cleanup: expired tags, or tags by prefix and age. */
export function wireCleanupForms(status: HTMLElement, after: () => Promise<void>): void {
  byId<HTMLFormElement>('cleanup-expired').addEventListener('submit', (event) => {
    event.preventDefault();
    void run(status, { expired: true }, 'Delete every tag whose expiry has passed, with all its rows?', after);
  });

  byId<HTMLFormElement>('cleanup-filter').addEventListener('submit', (event) => {
    event.preventDefault();
    const prefix = byId<HTMLInputElement>('cleanup-prefix').value.trim();
    const age = byId<HTMLInputElement>('cleanup-age').valueAsNumber;
    const unit = byId<HTMLSelectElement>('cleanup-unit');
    const request: Exclude<CleanupRequest, { all: true }> = {};
    const conditions: string[] = [];
    if (prefix) {
      request.prefix = prefix;
      conditions.push(`starting with "${prefix}"`);
    }
    if (Number.isFinite(age)) {
      request.olderThanSeconds = age * Number(unit.value);
      conditions.push(`created more than ${age} ${unit.selectedOptions[0]?.textContent ?? 'seconds'} ago`);
    }
    if (conditions.length === 0) {
      showMessage(status, 'error', ['Give a prefix, an age or both: the cleanup needs at least one condition.']);
      return;
    }
    void run(status, request, `Delete every tag ${conditions.join(' and ')}, with all its rows?`, after);
  });
}

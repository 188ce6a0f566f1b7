import { apiOptional, setKeyPrompt } from './api.js';
import { forgetKey, storedKey } from './api-key.js';
import { askForKey } from './dialogs.js';
import { byId } from './dom.js';
import { showError } from './messages.js';
import { renderSchema, type SchemaModel } from './schema-view.js';
import { ScenariosView } from './scenarios-view.js';
import { TagsView } from './tags-view.js';

type View = 'tags' | 'scenarios' | 'schema';

const tags = new TagsView();
const scenarios = new ScenariosView();
const loaded = new Set<View>();
let schemaAvailable = false;

function currentView(): View {
  const asked = location.hash.slice(1);
  if (asked === 'scenarios' || (asked === 'schema' && schemaAvailable)) return asked;
  return 'tags';
}

/** Hash routing: each view has its own URL (#tags, #scenarios, #schema). */
function show(moveFocus: boolean): void {
  const view = currentView();
  for (const panel of document.querySelectorAll<HTMLElement>('[data-view-panel]')) panel.hidden = panel.dataset.viewPanel !== view;
  for (const link of document.querySelectorAll<HTMLAnchorElement>('[data-view]')) {
    if (link.dataset.view === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  // Tags change under the page (provisioning here or elsewhere): read them again at each visit.
  if (view === 'tags') void tags.reload();
  if (view === 'scenarios' && !loaded.has(view)) {
    loaded.add(view);
    void scenarios.load();
  }
  if (moveFocus) byId(`${view}-heading`).focus();
}

/** The Schema view exists only where the service answers GET /schema (404 elsewhere). */
async function probeSchema(): Promise<void> {
  try {
    const model = await apiOptional<SchemaModel>('GET', '/schema');
    schemaAvailable = model !== undefined;
    byId('schema-tab').hidden = !schemaAvailable;
    if (model !== undefined) renderSchema(model);
  } catch (error) {
    showError(byId('schema-content'), 'Could not read the schema model.', error);
  }
  // Lets a reader (and the browser tests) tell "no Schema view here" from "not asked yet".
  byId('schema-tab').dataset.probed = String(schemaAvailable);
  if (location.hash === '#schema') show(false);
}

function showKeyControls(): void {
  byId('forget-key-item').hidden = storedKey() === null;
}

setKeyPrompt(askForKey);
document.addEventListener('testapi:key-changed', showKeyControls);
byId('forget-key').addEventListener('click', () => {
  forgetKey();
  byId('status').textContent = 'The API key was removed from this tab; the next call will ask for it.';
});
for (const heading of document.querySelectorAll<HTMLElement>('main h2')) heading.tabIndex = -1;
window.addEventListener('hashchange', () => show(true));
showKeyControls();
show(false);
void probeSchema();

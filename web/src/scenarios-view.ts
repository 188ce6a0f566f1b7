import type { components, paths } from '@testapi/client/src/generated/openapi.js';
import { api } from './api.js';
import { storedKey } from './api-key.js';
import { copyableId, copyButton } from './copy.js';
import { byId, h, replaceChildren } from './dom.js';
import { absoluteTime, plural, relativeTime, tableCounts } from './format.js';
import { showError, showMessage } from './messages.js';
import { collectIds } from './records.js';
import { commonFields, paramField, type Field } from './scenario-form.js';
import { curlCommand } from './curl.js';

type ScenarioList = components['schemas']['ScenarioList'];
type ScenarioInfo = components['schemas']['ScenarioInfo'];
type ScenarioPath = Extract<keyof paths, `/scenarios/${string}`>;
/** What any POST /scenarios/{name} answers: the catalog's results and a scenario file's. */
type ProvisionResult = {
  [P in ScenarioPath]: paths[P] extends { post: { responses: { 201: { content: { 'application/json': infer Result } } } } } ? Result : never;
}[ScenarioPath];

/** Ids listed at most; a bulk answer holds samples only, a large graph many more. */
const MAX_IDS = 100;

/** The scenario catalog (GET /scenarios), one generated form per scenario (POST /scenarios/{name}). */
export class ScenariosView {
  private readonly list = byId('scenarios-list');

  async load(): Promise<void> {
    try {
      const { scenarios } = await api<ScenarioList>('GET', '/scenarios');
      replaceChildren(this.list, ...scenarios.map((scenario) => this.card(scenario)));
    } catch (error) {
      const message = h('p', { class: 'message', attrs: { role: 'alert' } });
      showError(message, 'Could not load the scenario catalog.', error);
      replaceChildren(this.list, message);
    }
  }

  private card(scenario: ScenarioInfo): HTMLElement {
    const headingId = `scenario-${scenario.name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    const fields = h('div', { class: 'fields' });
    const common = commonFields(scenario.name, fields);
    const properties = (scenario.paramsSchema.properties ?? {}) as Record<string, Record<string, unknown>>;
    const params: Field[] = Object.entries(properties).map(([name, schema]) => paramField(name, schema, fields));
    const result = h('div', { class: 'result' });
    const message = h('p', { class: 'message', attrs: { role: 'status', 'aria-live': 'polite' } });

    const form = h(
      'form',
      { attrs: { 'aria-labelledby': headingId, 'data-scenario': scenario.name } },
      fields,
      h('button', { attrs: { type: 'submit' } }, `Provision ${scenario.name}`),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const body: Record<string, unknown> = { tag: common.tag.value.trim() };
      if (common.seed.value !== '') body.seed = common.seed.valueAsNumber;
      if (common.ttl.value !== '') body.ttlSeconds = common.ttl.valueAsNumber;
      const values = Object.fromEntries(params.map((field) => [field.name, field.read()]).filter(([, value]) => value !== undefined));
      if (Object.keys(values).length > 0) body.params = values;
      void this.provision(scenario.name, body, form, message, result);
    });

    return h(
      'section',
      { class: 'card scenario', attrs: { 'aria-labelledby': headingId } },
      h('h3', { attrs: { id: headingId } }, scenario.name, h('span', { class: 'version' }, ` v${scenario.version}`)),
      h('p', {}, scenario.description),
      form,
      message,
      result,
    );
  }

  private async provision(name: string, body: Record<string, unknown>, form: HTMLFormElement, message: HTMLElement, result: HTMLElement): Promise<void> {
    const submit = form.querySelector('button[type="submit"]') as HTMLButtonElement;
    submit.disabled = true;
    replaceChildren(result);
    showMessage(message, 'info', [`Provisioning ${name} under tag ${String(body.tag)}…`]);
    const path = `/scenarios/${encodeURIComponent(name)}`;
    try {
      const answer = await api<ProvisionResult>('POST', path, body);
      const total = Object.values(answer.counts).reduce((sum, n) => sum + n, 0);
      showMessage(message, 'ok', [
        `Created ${plural(total, 'row')} under tag ${answer.tag} (seed ${answer.seed}).`,
        tableCounts(answer.counts),
        `Expires ${relativeTime(answer.expiresAt)} (${absoluteTime(answer.expiresAt)}).`,
      ]);
      replaceChildren(result, this.records(answer), this.curl(path, body));
    } catch (error) {
      showError(message, `Could not provision ${name}; nothing was written.`, error);
      replaceChildren(result, this.curl(path, body));
    } finally {
      submit.disabled = false;
    }
  }

  private records(answer: ProvisionResult): HTMLElement {
    const ids = collectIds(answer.data);
    const shown = ids.slice(0, MAX_IDS);
    return h(
      'div',
      { class: 'records' },
      h('h4', {}, 'Created records'),
      h('ul', { class: 'ids' }, ...shown.map((record) => copyableId(record.label, record.id))),
      ids.length > shown.length && h('p', { class: 'hint' }, `…and ${ids.length - shown.length} more ids: GET /tags/${answer.tag}?include=ids lists them all.`),
    );
  }

  private curl(path: string, body: unknown): HTMLElement {
    const command = curlCommand('POST', new URL(path, location.href).href, body, storedKey() !== null);
    const code = h('code', {}, command);
    return h('div', { class: 'curl' }, h('h4', {}, 'The same request with curl'), h('pre', {}, code), copyButton(command, code, 'curl command'));
  }
}

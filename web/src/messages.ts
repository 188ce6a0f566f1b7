import { h, replaceChildren } from './dom.js';
import { describeError } from './problem.js';

export type Tone = 'ok' | 'error' | 'info';

/** Lines of text in a live region: the first is the headline. */
export function showMessage(target: HTMLElement, tone: Tone, lines: string[]): void {
  target.dataset.tone = tone;
  const [headline, ...rest] = lines;
  replaceChildren(target, h('strong', {}, headline), ...rest.map((line) => h('span', { class: 'line' }, line)));
}

export function showError(target: HTMLElement, lead: string, error: unknown): void {
  showMessage(target, 'error', [lead, ...describeError(error)]);
}

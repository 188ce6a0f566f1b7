import { h } from './dom.js';

/**
 * Copies text. The Clipboard API exists on secure origins only (https,
 * localhost); a test host on plain http gets the selection fallback.
 */
async function copyText(text: string, source: HTMLInputElement | HTMLElement): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* permission refused: fall back to the selection */
  }
  if (source instanceof HTMLInputElement) source.select();
  else window.getSelection()?.selectAllChildren(source);
  return document.execCommand('copy');
}

/** A button that copies `text` and says so in words (for screen readers too). */
export function copyButton(text: string, source: HTMLInputElement | HTMLElement, what: string): HTMLButtonElement {
  const button = h('button', { class: 'copy', attrs: { type: 'button', 'aria-label': `Copy ${what}` } }, 'Copy');
  button.addEventListener('click', () => {
    void copyText(text, source).then((ok) => {
      button.textContent = ok ? 'Copied' : 'Select and copy';
      setTimeout(() => {
        button.textContent = 'Copy';
      }, 2000);
    });
  });
  return button;
}

/** An id in a read-only field (selectable by keyboard) with its copy button. */
export function copyableId(label: string, id: string): HTMLLIElement {
  const field = h('input', { class: 'id', attrs: { type: 'text', readonly: true, value: id, 'aria-label': `${label} id`, size: 36, spellcheck: 'false' } });
  return h('li', {}, h('span', { class: 'record-label' }, label), field, copyButton(id, field, `${label} id`));
}

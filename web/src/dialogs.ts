import { byId, replaceChildren } from './dom.js';

/**
 * A modal confirmation naming exactly what will go. <dialog> gives focus
 * trapping, Escape to cancel and focus return for free.
 */
export function confirmAction(title: string, text: string, confirmLabel: string): Promise<boolean> {
  const dialog = byId<HTMLDialogElement>('confirm-dialog');
  replaceChildren(byId('confirm-title'), title);
  replaceChildren(byId('confirm-text'), text);
  replaceChildren(byId('confirm-ok'), confirmLabel);
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true });
    dialog.showModal();
    // The safe choice has focus: Enter alone never deletes.
    dialog.querySelector<HTMLButtonElement>('button[value="cancel"]')?.focus();
  });
}

/** The key prompt for api.ts: the reason (a 401 in words) shows above the field. */
export function askForKey(reason: string): Promise<string | null> {
  const dialog = byId<HTMLDialogElement>('key-dialog');
  const input = byId<HTMLInputElement>('key-input');
  replaceChildren(byId('key-message'), reason);
  input.value = '';
  dialog.returnValue = '';
  // Cancel is no submit button, so Enter in the field always means "Use key".
  const cancel = (): void => dialog.close('cancel');
  byId('key-cancel').addEventListener('click', cancel);
  return new Promise((resolve) => {
    dialog.addEventListener(
      'close',
      () => {
        byId('key-cancel').removeEventListener('click', cancel);
        resolve(dialog.returnValue === 'use' && input.value ? input.value : null);
      },
      { once: true },
    );
    dialog.showModal();
    input.focus();
  });
}

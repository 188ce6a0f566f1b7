/**
 * The API key lives in sessionStorage only: it ends with the tab, is never
 * written to localStorage or a cookie, and the page itself holds no data.
 */
const STORAGE_KEY = 'testapi.apiKey';

export function storedKey(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}

export function storeKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
  document.dispatchEvent(new Event('testapi:key-changed'));
}

export function forgetKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
  document.dispatchEvent(new Event('testapi:key-changed'));
}

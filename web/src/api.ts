import { forgetKey, storedKey, storeKey } from './api-key.js';
import { ApiError, isProblem, type Problem } from './problem.js';

/** Asks the person for a key; null when they decline. `reason` says why in words. */
export type KeyPrompt = (reason: string) => Promise<string | null>;

let promptForKey: KeyPrompt = async () => null;
// Calls that fail together (the first page load sends several) share one prompt.
let pendingPrompt: Promise<string | null> | undefined;

export function setKeyPrompt(prompt: KeyPrompt): void {
  promptForKey = prompt;
}

function askOnce(reason: string): Promise<string | null> {
  pendingPrompt ??= promptForKey(reason).finally(() => {
    pendingPrompt = undefined;
  });
  return pendingPrompt;
}

async function send(method: string, path: string, body: unknown, key: string | null): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    return await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit', cache: 'no-store' });
  } catch (error) {
    throw new ApiError({
      type: 'network',
      title: 'Service unreachable',
      status: 0,
      detail: `testapi did not answer (${error instanceof Error ? error.message : String(error)}).`,
    });
  }
}

async function problemOf(response: Response): Promise<Problem> {
  const text = await response.text();
  try {
    const parsed: unknown = JSON.parse(text);
    if (isProblem(parsed)) return parsed;
  } catch {
    /* not JSON: described below */
  }
  return { type: 'about:blank', title: response.statusText || 'Error', status: response.status, detail: text.slice(0, 300) || 'No details were given.' };
}

/**
 * One call to the public API. A 401 asks for the key (and again, with the
 * 401 in words, while the key given is refused); declining the prompt fails
 * the call with that 401.
 */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  for (;;) {
    const sentKey = storedKey();
    const response = await send(method, path, body, sentKey);
    if (response.ok) return (await response.json()) as T;
    const problem = await problemOf(response);
    if (response.status !== 401) throw new ApiError(problem);
    // Another call may have stored a new key while this one was in flight: retry with it.
    if (storedKey() !== sentKey) continue;
    const refused = sentKey !== null;
    if (refused) forgetKey();
    const reason = refused
      ? `The key was refused. ${problem.title} (HTTP ${problem.status}): ${problem.detail}`
      : `This testapi requires an API key. ${problem.title} (HTTP ${problem.status}): ${problem.detail}`;
    const key = await askOnce(reason);
    if (!key) throw new ApiError(problem);
    storeKey(key);
  }
}

/** For endpoints that may not exist (GET /schema): undefined on 404. */
export async function apiOptional<T>(method: string, path: string): Promise<T | undefined> {
  try {
    return await api<T>(method, path);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}

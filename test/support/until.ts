/**
 * Polls `condition` until it holds and returns its last value: tests wait for
 * the state they need instead of sleeping a guessed time (too short on a busy
 * machine, needlessly long on a quiet one). Fails naming `what` on timeout.
 */
export async function until<T>(what: string, condition: () => Promise<T | false | undefined> | T | false | undefined, timeoutMs = 15_000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value !== false && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

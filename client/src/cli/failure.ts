import { TestApiConnectionError, TestApiError } from '../errors.js';

export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A failure the CLI foresaw: its message is the whole story, no stack needed. */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';

  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** What one failed run prints on stderr (one line, plus field errors) and the exit code it ends with. */
export interface FailureReport {
  text: string;
  exitCode: number;
}

function stackOf(error: unknown): string {
  const lines: string[] = [];
  const next = (current: unknown): unknown => (current as { cause?: unknown }).cause ?? (current as { fetchError?: unknown }).fetchError;
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 5; current = next(current), depth++) {
    lines.push(`${depth > 0 ? 'caused by: ' : ''}${current instanceof Error ? (current.stack ?? current.message) : String(current)}`);
  }
  return lines.join('\n');
}

/**
 * Turns whatever a command threw into a report. Foreseen failures (a refused
 * request, an unreachable service, an answer that is not testapi's, a bad
 * setting) get one line; only `--debug` adds the stack and its causes.
 */
export function reportFailure(error: unknown, url: string, debug: boolean): FailureReport {
  const debugTail = debug ? `\n${stackOf(error)}` : '';
  if (error instanceof CliFailure) return { text: `testapi: ${error.message}${debugTail}\n`, exitCode: error.exitCode };
  if (error instanceof TestApiError || error instanceof TestApiConnectionError) {
    return { text: `testapi: ${error.message}${debugTail}\n`, exitCode: EXIT_FAILED };
  }
  // openapi-fetch parses a 2xx body as JSON: an HTML page or plain text here means another service answered.
  if (error instanceof SyntaxError) {
    return { text: `testapi: the answer from ${url} is not JSON: is that a testapi service?${debugTail}\n`, exitCode: EXIT_FAILED };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    text: `testapi: unexpected error: ${message}${debug ? debugTail : ' (run again with --debug for the stack)'}\n`,
    exitCode: EXIT_FAILED,
  };
}

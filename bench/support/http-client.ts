import { performance } from 'node:perf_hooks';
import type { TableCounts } from '../../src/db/tables';

export interface Timed<T> {
  status: number;
  body: T;
  ms: number;
}

/** One HTTP call, timed from send to the last byte of the body. */
export async function callJson<T>(method: 'POST' | 'DELETE' | 'GET', url: string, body?: unknown): Promise<Timed<T>> {
  const started = performance.now();
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON: keep the text for the error message */
  }
  return { status: response.status, body: parsed as T, ms };
}

/** Throws with the problem document when the status is not the expected one. */
export function expectStatus<T>(call: Timed<T>, expected: number, what: string): Timed<T> {
  if (call.status !== expected) {
    const detail = typeof call.body === 'string' ? call.body.slice(0, 500) : JSON.stringify(call.body).slice(0, 1000);
    throw new Error(`${what}: expected HTTP ${expected}, got ${call.status}: ${detail}`);
  }
  return call;
}

export interface ProvisionResult {
  tag: string;
  counts: TableCounts;
}

export interface DeleteResult {
  tag: string;
  deleted: TableCounts;
  total: number;
}

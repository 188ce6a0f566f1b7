import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { AppError, validationError } from '../errors';
import { assertWellFormedStrings } from '../validation/well-formed-strings';
import { JsonRowsScanner, type ScannedRow } from './json-rows-scanner';
import type { Row } from './snapshot-format';

/**
 * Reads a snapshot from the request stream itself (the app's JSON parser
 * skips this route): bytes are counted as they arrive, after inflating, and
 * the read stops with a 413 past MAX_IMPORT_BYTES, so a large body is never
 * held twice nor read beyond the limit. NDJSON is parsed line by line as it
 * arrives; a JSON document's rows likewise, one by one (json-rows-scanner.ts).
 */
export interface RawSnapshot {
  /** Everything but the rows: checked by snapshot-validation. */
  header: Record<string, unknown>;
  /** Rows per table key as sent. */
  rows: Map<string, Row[]>;
}

export type SnapshotMediaType = 'json' | 'ndjson';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function tooLarge(limit: number): AppError {
  return new AppError({
    type: 'payload-too-large',
    title: 'Payload too large',
    status: 413,
    detail: `The snapshot exceeds MAX_IMPORT_BYTES (${limit} bytes). Raise MAX_IMPORT_BYTES, or split the tag.`,
  });
}

function decoded(stream: Readable, encoding: string | undefined): Readable {
  switch ((encoding ?? 'identity').trim().toLowerCase()) {
    case 'identity':
    case '':
      return stream;
    case 'gzip':
    case 'x-gzip':
      return stream.pipe(createGunzip());
    case 'deflate':
      return stream.pipe(createInflate());
    case 'br':
      return stream.pipe(createBrotliDecompress());
    default:
      throw new AppError({ type: 'unsupported-media-type', title: 'Unsupported media type', status: 415, detail: `Content-Encoding ${encoding} is not supported (gzip, deflate, br or none).` });
  }
}

function corrupt(error: unknown): AppError {
  return validationError([{ path: 'body', message: `body could not be decompressed (${(error as Error).message}): it does not match its Content-Encoding` }]);
}

async function* chunks(stream: Readable, encoding: string | undefined, limit: number): AsyncGenerator<string> {
  const source = decoded(stream, encoding);
  const text = new TextDecoder('utf-8', { fatal: false });
  let bytes = 0;
  try {
    for await (const chunk of source) {
      bytes += (chunk as Buffer).length;
      if (bytes > limit) {
        stream.resume();
        throw tooLarge(limit);
      }
      yield text.decode(chunk as Buffer, { stream: true });
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (typeof (error as { errno?: unknown }).errno === 'number') throw corrupt(error);
    throw error;
  }
  yield text.decode();
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError({ type: 'malformed-json', title: 'Malformed JSON', status: 400, detail: `The snapshot is not valid JSON (${path}).`, errors: [{ path, message: 'not valid JSON' }] });
  }
}

/** The JSON form: `{format, ..., tables: [{table, ..., data: [rows]}]}`, its rows parsed one by one as they arrive. */
async function readJson(stream: AsyncGenerator<string>): Promise<RawSnapshot> {
  const scanner = new JsonRowsScanner();
  const byTable = new Map<number, Row[]>();
  const take = ({ table, text }: ScannedRow): void => {
    const row = parseJson(text, 'body');
    assertWellFormedStrings(row);
    let list = byTable.get(table);
    if (!list) byTable.set(table, (list = []));
    list.push(row as Row);
  };
  try {
    for await (const piece of stream) scanner.push(piece, take);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw validationError([{ path: 'body', message: (error as Error).message }]);
  }
  const document = parseJson(scanner.headerText(), 'body');
  if (!isObject(document)) throw validationError([{ path: 'body', message: 'a snapshot is a JSON object (GET /tags/{tag}/export writes one)' }]);
  assertWellFormedStrings(document);
  const rows = new Map<string, Row[]>();
  const tables = Array.isArray(document.tables) ? document.tables : [];
  const header = Array.isArray(document.tables) ? { ...document, tables: tables.map((table) => (isObject(table) ? { ...table, data: undefined } : table)) } : document;
  tables.forEach((table, position) => {
    if (!isObject(table) || typeof table.table !== 'string') return;
    if (!Array.isArray(table.data)) throw validationError([{ path: `tables[${position}].data`, message: 'data must be an array of rows' }]);
    // Streamed rows, plus any the header kept (a "data" key the scanner did not recognise).
    const streamed = byTable.get(position) ?? [];
    const list = rows.get(table.table) ?? [];
    for (const row of streamed) list.push(row);
    for (const row of table.data as Row[]) list.push(row);
    rows.set(table.table, list);
  });
  return { header, rows };
}

/** The NDJSON form: a header line, then `{"table": ..., "row": {...}}` per line. */
async function readNdjson(stream: AsyncGenerator<string>): Promise<RawSnapshot> {
  let header: Record<string, unknown> | undefined;
  const rows = new Map<string, Row[]>();
  let pending: string[] = [];
  let line = 0;
  const take = (text: string): void => {
    line += 1;
    if (text.trim() === '') return;
    const value = parseJson(text, `line ${line}`);
    if (!isObject(value)) throw validationError([{ path: `line ${line}`, message: 'each line must be a JSON object' }]);
    assertWellFormedStrings(value);
    if (!header) {
      header = value;
      return;
    }
    if (typeof value.table !== 'string' || !isObject(value.row)) {
      throw validationError([{ path: `line ${line}`, message: 'a row line is {"table": "<schema.table>", "row": {...}}' }]);
    }
    let list = rows.get(value.table);
    if (!list) rows.set(value.table, (list = []));
    list.push(value.row);
  };
  // Only the new piece is searched for a newline, and a line's pieces are joined once it ends:
  // splitting pending + piece on every chunk cost O(n²) in a long line (16 MB: 21 s, issue 26).
  for await (const piece of stream) {
    let start = 0;
    for (let end = piece.indexOf('\n'); end !== -1; end = piece.indexOf('\n', start)) {
      pending.push(piece.slice(start, end));
      take(pending.join(''));
      pending = [];
      start = end + 1;
    }
    if (start < piece.length) pending.push(piece.slice(start));
  }
  take(pending.join(''));
  if (!header) throw validationError([{ path: 'body', message: 'the snapshot is empty: its first line is the header' }]);
  return { header, rows };
}

export async function readSnapshot(stream: Readable, media: SnapshotMediaType, contentEncoding: string | undefined, limit: number): Promise<RawSnapshot> {
  const pieces = chunks(stream, contentEncoding, limit);
  return media === 'ndjson' ? readNdjson(pieces) : readJson(pieces);
}

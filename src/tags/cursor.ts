import { DOMAIN_TABLES_DELETE_ORDER, type DomainTable } from '../db/tables';
import { isValidTag } from './tag-name';

/**
 * Opaque page cursors: base64url JSON, validated field by field on the way
 * back in (a cursor is client input like any other). Tampering can only move
 * the page position; values reach SQL as bound parameters.
 */
function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function decode(cursor: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

const EXACT_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export interface TagListPosition {
  /** created_at with microseconds: a millisecond Date would skip or repeat tags. */
  createdAt: string;
  tag: string;
}

export function encodeTagListCursor(position: TagListPosition): string {
  return encode({ c: position.createdAt, t: position.tag });
}

export function decodeTagListCursor(cursor: string): TagListPosition | undefined {
  const value = decode(cursor) as { c?: unknown; t?: unknown } | undefined;
  if (!value || typeof value !== 'object' || typeof value.c !== 'string' || !EXACT_TIMESTAMP.test(value.c) || !isValidTag(value.t)) {
    return undefined;
  }
  // JavaScript rolls impossible dates over (Feb 30 becomes Mar 1, 24:00 the next day) where
  // PostgreSQL rejects them, and PostgreSQL has no year 0: only a date that survives the
  // round trip unchanged is one this service could have written.
  const date = new Date(value.c.slice(0, 23) + 'Z');
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 23) !== value.c.slice(0, 23) || date.getUTCFullYear() < 1) return undefined;
  return { createdAt: value.c, tag: value.t };
}

/** Where each table's id listing continues; tables absent are exhausted. */
export type IdsPosition = Partial<Record<DomainTable, string>>;

// Binary (table index byte + 16 uuid bytes per table) keeps the cursor of all
// nine tables near 200 characters, under the 512 the contract allows a shop cursor.
const IDS_CURSOR_VERSION = 1;
const ENTRY_BYTES = 17;

export function encodeIdsCursor(position: IdsPosition): string {
  const entries = DOMAIN_TABLES_DELETE_ORDER.flatMap((table, index) => {
    const id = position[table];
    return id === undefined ? [] : [Buffer.concat([Buffer.from([index]), Buffer.from(id.replace(/-/g, ''), 'hex')])];
  });
  return Buffer.concat([Buffer.from([IDS_CURSOR_VERSION]), ...entries]).toString('base64url');
}

export function decodeIdsCursor(cursor: string): IdsPosition | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  const bytes = Buffer.from(cursor, 'base64url');
  if (bytes[0] !== IDS_CURSOR_VERSION || bytes.length < 1 + ENTRY_BYTES || (bytes.length - 1) % ENTRY_BYTES !== 0) return undefined;
  const position: IdsPosition = {};
  for (let offset = 1; offset < bytes.length; offset += ENTRY_BYTES) {
    const table = DOMAIN_TABLES_DELETE_ORDER[bytes[offset]!];
    if (!table || position[table] !== undefined) return undefined;
    const hex = bytes.subarray(offset + 1, offset + ENTRY_BYTES).toString('hex');
    position[table] = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  return position;
}

/**
 * Where each ledger table's key listing continues (target schemas): the table's key
 * (`schema.table`, as the ledger names it) and the last key given, each column's text.
 * Tables absent are exhausted, as in IdsPosition.
 */
export type LedgerPosition = Array<[table: string, key: string[]]>;

/**
 * A position is a whole key per table, so the cursor grows with the tables that continue and
 * their keys: 8,192 characters hold positions in over 100 tables of integer keys at once and
 * stay well under Node's 16 KiB request head.
 */
export const MAX_LEDGER_CURSOR_LENGTH = 8192;
// PostgreSQL names are at most 63 bytes, so a schema-qualified one at most 127; a key at most 32 columns.
const MAX_TABLE_KEY_BYTES = 127;
const MAX_KEY_COLUMNS = 32;

/** Text PostgreSQL can hold: no NUL, no lone UTF-16 surrogate (a forged "\u0000" or "\ud800" would fail in SQL as a 500). */
function storable(text: unknown): text is string {
  return typeof text === 'string' && !text.includes('\u0000') && (text as string & { isWellFormed(): boolean }).isWellFormed();
}

export function encodeLedgerCursor(position: LedgerPosition): string {
  return encode({ l: position });
}

export function decodeLedgerCursor(cursor: string): LedgerPosition | undefined {
  if (cursor.length > MAX_LEDGER_CURSOR_LENGTH) return undefined;
  const value = decode(cursor) as { l?: unknown } | undefined;
  if (!value || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length !== 1 || !Array.isArray(value.l) || value.l.length === 0) return undefined;
  const seen = new Set<string>();
  const position: LedgerPosition = [];
  for (const entry of value.l as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 2) return undefined;
    const [table, key] = entry as [unknown, unknown];
    if (!storable(table) || !/^.+\..+$/s.test(table) || Buffer.byteLength(table) > MAX_TABLE_KEY_BYTES || seen.has(table)) return undefined;
    if (!Array.isArray(key) || key.length === 0 || key.length > MAX_KEY_COLUMNS || !key.every(storable)) return undefined;
    seen.add(table);
    position.push([table, key as string[]]);
  }
  return position;
}

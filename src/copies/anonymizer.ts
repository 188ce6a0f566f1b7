import { createHash } from 'node:crypto';
import { drawColumn } from '../graphs/value-factory';
import { leaseRandomSources, type SeededRandom } from '../provisioning/seeded-random';
import type { ColumnModel } from '../schema/schema-model';
import type { ColumnRule } from './anonymize-rules';

/**
 * One personal value replaced, deterministically: the fake is drawn from
 * faker (the graph engine's generators) seeded by the copy's seed, the kind
 * and the original value. So one person's email, name or address maps to the
 * same fake wherever it appears (a join on email still matches), in this copy
 * and the next one with the same seed, and nothing of the original is kept.
 */
const TEXT_TYPES = new Set(['text', 'varchar', 'bpchar', 'citext', 'name']);
const SCRAMBLED = new Set(['card-number', 'bank-number', 'national-id']);
const DIGITS = '0123456789';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function digest(seed: number, kind: string, value: string, round: number): Buffer {
  return createHash('sha256').update(`${seed}\u0000${kind}\u0000${round}\u0000${value}`).digest();
}

/** Same shape, other characters: a card number stays a 16-digit number with its separators. */
function scramble(value: string, random: SeededRandom): string {
  let out = '';
  for (const char of value) {
    if (/[0-9]/.test(char)) out += DIGITS[random.int(0, 9)];
    else if (/[A-Za-z]/.test(char)) out += LETTERS[random.int(0, 25)];
    else out += char;
  }
  return out;
}

function hashed(column: ColumnModel, seed: number, value: string): string {
  const hex = digest(seed, 'hash', value, 0).toString('hex');
  return column.length === null ? hex : hex.slice(0, Math.max(1, column.length));
}

function fake(column: ColumnModel, kind: string, seed: number, value: string, round: number): unknown {
  const bytes = digest(seed, kind, value, round);
  const streams = leaseRandomSources(bytes.readUInt32BE(0));
  try {
    if (SCRAMBLED.has(kind)) return scramble(value, streams.random);
    if (kind === 'ip') return streams.faker.internet.ipv4();
    // Emails always carry a hash of the original: two people never share a fake address.
    const drawn: ColumnModel = { ...column, generator: { kind, reason: 'anonymized' }, unique: column.unique || kind === 'email' };
    const tag = bytes.readUInt32BE(4).toString(36);
    return drawColumn(drawn, 1, { faker: streams.faker, random: streams.random, salt: () => tag })[0];
  } catch {
    // A kind faker cannot draw for this type (a rule set in configuration): the hash says nothing either.
    return TEXT_TYPES.has(column.baseType) ? hashed(column, seed, value) : null;
  } finally {
    streams.release();
  }
}

export function anonymizeValue(value: unknown, column: ColumnModel, rule: ColumnRule, seed: number): unknown {
  if (value === null || value === undefined || rule.rule === 'keep') return value;
  const original = typeof value === 'string' ? value : JSON.stringify(value);
  if (rule.rule === 'null' && column.nullable) return null;
  if (rule.rule === 'hash' && TEXT_TYPES.has(column.baseType)) return hashed(column, seed, original);
  // A fake that happens to equal the original (a common first name) is drawn again.
  for (let round = 0; round < 5; round += 1) {
    const replaced = fake(column, rule.kind ?? column.generator.kind, seed, original, round);
    if (replaced === null && !column.nullable) break;
    if (String(replaced) !== original) return replaced;
  }
  return hashed(column, seed, original);
}

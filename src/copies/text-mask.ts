/**
 * Masking for text a copy keeps for realism (rule `mask`): the words stay,
 * what names a person goes. Found by shape: e-mail addresses, key-like
 * tokens (`sk_live_…`, `ghp_…`, JWTs, bcrypt hashes, long mixed tokens),
 * IBAN-like and card-like numbers, identifiers such as SSNs, dates, phone
 * numbers; and by value: every word of the copy's own person columns (first
 * and last names, user names). Each is replaced by a keyed pseudonym of its
 * kind, so the same person reads the same in every masked text of a copy
 * (and as in the column: a first name masked is the first name faked).
 */
export type Pseudonym = (kind: string, original: string) => string;

const PATTERNS: Array<[RegExp, string]> = [
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, 'email'],
  [/\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}/g, 'secret'],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}/g, 'secret'],
  [/\b(?:sk|pk|rk|whsec)_(?:live|test)_[A-Za-z0-9]{6,}/g, 'secret'],
  [/\b(?:gh[pousr]_|glpat-|xox[abprs]-|AKIA|AIza)[A-Za-z0-9_-]{10,}/g, 'secret'],
  // A long run of letters and digits mixed: an API key, a session id, a hash.
  [/\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{20,}\b/g, 'secret'],
  [/\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g, 'bank-number'],
  [/\b\d(?:[ -]?\d){12,18}\b/g, 'card-number'],
  [/\b\d{3}-\d{2}-\d{4}\b/g, 'national-id'],
  [/\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b/g, 'birth-date'],
  [/(?:\+|\(|\b)\d[\d ().\-/]{5,}\d\b/g, 'phone'],
];
const MIN_PHONE_DIGITS = 7;
const WORD = /\p{L}[\p{L}\p{M}]*/gu;

/** The words of a name, as the masker compares them (lower case, two letters or more). */
export function nameWords(value: string): string[] {
  return (value.match(WORD) ?? []).filter((word) => word.length >= 2).map((word) => word.toLowerCase());
}

// Each replacement waits as one private-use character, which no later pattern matches: a fake card
// number must not be taken for a phone number by the next pattern.
const PLACEHOLDER_BASE = 0xe000;
const PLACEHOLDERS = 0x1900;
const PLACEHOLDER = /[\ue000-\uf8ff]/g;

export function maskText(text: string, names: ReadonlyMap<string, string>, pseudonym: Pseudonym): string {
  const fakes: string[] = [];
  const hold = (fake: string): string => {
    if (fakes.length >= PLACEHOLDERS) return fake;
    fakes.push(fake);
    return String.fromCharCode(PLACEHOLDER_BASE + fakes.length - 1);
  };
  let out = text.replace(PLACEHOLDER, ' ');
  for (const [pattern, kind] of PATTERNS) {
    out = out.replace(pattern, (found) => {
      if (kind === 'phone' && found.replace(/\D/g, '').length < MIN_PHONE_DIGITS) return found;
      return hold(pseudonym(kind, found));
    });
  }
  if (names.size > 0) {
    out = out.replace(WORD, (word) => {
      const kind = names.get(word.toLowerCase());
      return kind ? hold(pseudonym(kind, word)) : word;
    });
  }
  return out.replace(PLACEHOLDER, (held) => fakes[held.charCodeAt(0) - PLACEHOLDER_BASE] ?? '');
}

/** Whether masking would change `text`: it holds something that looks personal. */
export function looksPersonal(text: string, names: ReadonlyMap<string, string>): boolean {
  return maskText(text, names, () => '\u0000') !== text;
}

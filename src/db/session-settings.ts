/**
 * The PostgreSQL settings of testapi's own sessions, and how they meet the
 * `options` a user's DATABASE_URL carries (`?options=-c%20work_mem%3D64MB`).
 * libpq's `options` is one string: pg sends it as it is, so setting it in code
 * would replace the URL's (and the URL's would replace testapi's). Both are
 * merged here into one string; a setting both name with different values is
 * refused at start (see loadConfig), never silently dropped.
 *
 * No imports: config.ts reads this too, before anything connects.
 */

/** One `-c name=value` of a libpq options string; `name` as written. */
export interface SessionSetting {
  name: string;
  value: string;
}

/**
 * What testapi's code depends on, whatever the server's or the role's
 * defaults say:
 * - `jit = off`: testapi runs short statements only; a plan whose estimate
 *   passes jit_above_cost (a foreign-key check on an application's column
 *   without an index, a dependents lookup) would spend 300-800 ms compiling
 *   a query that runs in 0.1 ms (docs/PERFORMANCE.md, issue 24).
 * - DateStyle, IntervalStyle, TimeZone: the record format (openapi.yaml
 *   GraphResult) and pg's type parsers read dates, intervals and
 *   timestamptz in ISO form, in UTC.
 * - extra_float_digits = 1: floats as the shortest text that reads back
 *   exactly (PostgreSQL 12+), so no digit is lost on the way to JSON.
 * - bytea_output = hex: bytea as `\x` hex text, as the record format says.
 */
export const PINNED_SESSION_SETTINGS: readonly SessionSetting[] = [
  { name: 'jit', value: 'off' },
  { name: 'DateStyle', value: 'ISO,MDY' },
  { name: 'IntervalStyle', value: 'postgres' },
  { name: 'extra_float_digits', value: '1' },
  { name: 'TimeZone', value: 'UTC' },
  { name: 'bytea_output', value: 'hex' },
];

/**
 * Settings pg sends as startup parameters of their own (from the pool's
 * config), each decided by a configuration variable. PostgreSQL applies
 * those after `options`, so a URL's `-c statement_timeout=…` would lose
 * silently: it is refused instead, naming the variable to use.
 */
export const STARTUP_PARAMETER_SETTINGS: Readonly<Record<string, string>> = {
  statement_timeout: 'STATEMENT_TIMEOUT_MS',
  lock_timeout: 'LOCK_TIMEOUT_MS',
  idle_in_transaction_session_timeout: 'STATEMENT_TIMEOUT_MS',
  application_name: 'the service (it names its connections testapi-<pid> to cancel them at shutdown)',
};

/** testapi's own `-c` settings for a pool: the pinned ones, plus its schema when target schemas are modelled. */
export function ownSessionSettings(stateSchema?: string): SessionSetting[] {
  return [...(stateSchema ? [{ name: 'search_path', value: stateSchema }] : []), ...PINNED_SESSION_SETTINGS];
}

/** PostgreSQL compares setting names case-insensitively; `-c` also takes `-` for `_`. */
function keyOf(name: string): string {
  return name.toLowerCase().replace(/-/g, '_');
}

/** Values compared as PostgreSQL reads them for these settings: case and blanks do not matter. */
function sameValue(a: string, b: string): boolean {
  return a.replace(/\s+/g, '').toLowerCase() === b.replace(/\s+/g, '').toLowerCase();
}

/** libpq splits `options` on unescaped blanks; a backslash escapes the next character. */
function splitOptions(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let escaped = false;
  for (const char of text) {
    if (escaped) {
      word += char;
      escaped = false;
    } else if (char === '\\') {
      escaped = true;
    } else if (/\s/.test(char)) {
      if (word !== '') words.push(word);
      word = '';
    } else {
      word += char;
    }
  }
  if (word !== '') words.push(word);
  return words;
}

/** Thrown for an options string testapi cannot merge with (a switch other than -c/--name=value). */
export class SessionOptionsError extends Error {}

/**
 * The `-c name=value` and `--name=value` settings of a libpq options string.
 * Other command-line switches (PostgreSQL's single-letter ones) are refused:
 * testapi cannot tell what they change.
 */
export function parseSessionOptions(text: string): SessionSetting[] {
  const words = splitOptions(text);
  const settings: SessionSetting[] = [];
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i]!;
    let assignment: string | undefined;
    if (word === '-c') assignment = words[(i += 1)];
    else if (word.startsWith('-c')) assignment = word.slice(2);
    else if (word.startsWith('--')) assignment = word.slice(2);
    const at = assignment?.indexOf('=') ?? -1;
    if (assignment === undefined || at <= 0) {
      throw new SessionOptionsError(`options: expected "-c name=value" settings, got "${word}${assignment !== undefined && word === '-c' ? ` ${assignment}` : ''}"`);
    }
    settings.push({ name: assignment.slice(0, at), value: assignment.slice(at + 1) });
  }
  return settings;
}

function escapeOption(text: string): string {
  return text.replace(/[\\\s]/g, (char) => `\\${char}`);
}

export function formatSessionOptions(settings: readonly SessionSetting[]): string {
  return settings.map((setting) => `-c ${escapeOption(`${setting.name}=${setting.value}`)}`).join(' ');
}

/** The `options` a URL carries (`?options=`), as pg reads them; '' when none. */
function optionsOf(url: URL): string {
  return url.searchParams.getAll('options').join(' ');
}

/**
 * The first setting of the URL's options that testapi cannot honour together
 * with its own, as one line naming it; undefined when they merge.
 */
export function sessionOptionsConflict(databaseUrl: string, own: readonly SessionSetting[]): string | undefined {
  let given: SessionSetting[];
  try {
    given = parseSessionOptions(optionsOf(new URL(databaseUrl)));
  } catch (error) {
    if (error instanceof SessionOptionsError) return error.message;
    throw error;
  }
  const ownByKey = new Map(own.map((setting) => [keyOf(setting.name), setting]));
  for (const setting of given) {
    const key = keyOf(setting.name);
    const variable = STARTUP_PARAMETER_SETTINGS[key];
    if (variable) return `options set ${setting.name}=${setting.value}, which testapi sets for its sessions from ${variable}: remove it from ?options=`;
    const mine = ownByKey.get(key);
    if (mine && !sameValue(mine.value, setting.value)) {
      return `options set ${setting.name}=${setting.value}, but testapi's sessions need ${mine.name}=${mine.value}: remove it from ?options= (or set it to ${mine.value})`;
    }
  }
  return undefined;
}

/**
 * The URL without its `options`, and the one options string to send: the
 * URL's settings first, then testapi's (a setting both name with the same
 * value is sent once). Throws SessionOptionsError on a conflict; loadConfig
 * has refused those already at start.
 */
export function mergeSessionOptions(databaseUrl: string, own: readonly SessionSetting[]): { url: string; options: string } {
  const conflict = sessionOptionsConflict(databaseUrl, own);
  if (conflict) throw new SessionOptionsError(`DATABASE_URL ${conflict}`);
  const url = new URL(databaseUrl);
  const given = parseSessionOptions(optionsOf(url));
  // Left as written when it has no options: re-serialising could change how its other parameters are spelled.
  if (url.searchParams.has('options')) url.searchParams.delete('options');
  else return { url: databaseUrl, options: formatSessionOptions(own) };
  const givenKeys = new Set(given.map((setting) => keyOf(setting.name)));
  const merged = [...given, ...own.filter((setting) => !givenKeys.has(keyOf(setting.name)))];
  return { url: url.toString(), options: formatSessionOptions(merged) };
}

/**
 * Reads the CHECK constraints testapi can satisfy by construction: an IN list
 * (`status IN ('a', 'b')`, which PostgreSQL prints as `= ANY (ARRAY[...])`)
 * and simple bounds (`>= 0`, `BETWEEN 1 AND 5`, printed as two comparisons).
 * Two columns compared (`expires_at > created_at`) are read by
 * parseOrderings below. Anything else (functions, OR) is left to PostgreSQL:
 * a value it rejects becomes a 422 that names the constraint.
 */
export interface ColumnRule {
  column: string;
  allowed?: string[];
  min?: number;
  max?: number;
}

/** Splits on top-level AND. */
function conjuncts(expression: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let index = 0; index < expression.length; index += 1) {
    const char = expression[index];
    if (char === "'") quoted = !quoted;
    if (quoted) continue;
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (depth === 0 && expression.startsWith(' AND ', index)) {
      parts.push(expression.slice(start, index));
      start = index + 5;
    }
  }
  parts.push(expression.slice(start));
  return parts.map(stripParens);
}

function stripParens(text: string): string {
  let value = text.trim();
  while (value.startsWith('(') && value.endsWith(')') && balanced(value.slice(1, -1))) value = value.slice(1, -1).trim();
  return value;
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const char of text) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (depth < 0) return false;
  }
  return depth === 0;
}

const IDENT = String.raw`"?([A-Za-z_][A-Za-z0-9_$]*)"?`;
const CAST = String.raw`(?:::[a-z ]+(?:\[\])?)?`;
const NUMBER = String.raw`\(?'?(-?\d+(?:\.\d+)?)'?${CAST}\)?`;
// A column as PostgreSQL prints it in a CHECK: `stock`, `(kind)::text` (a varchar compared as text).
const COLUMN = String.raw`\(?${IDENT}\)?${CAST}\)?`;
const COMPARISON = new RegExp(`^${COLUMN}\\s*(>=|>|<=|<)\\s*${NUMBER}$`);
const REVERSED = new RegExp(`^${NUMBER}\\s*(>=|>|<=|<)\\s*${COLUMN}$`);
const ANY_ARRAY = new RegExp(`^${COLUMN}\\s*=\\s*ANY\\s*\\(\\(?ARRAY\\[(.*?)\\]${CAST}\\)?${CAST}\\)$`);
const EQUALS = new RegExp(`^${COLUMN}\\s*=\\s*'((?:[^']|'')*)'${CAST}$`);

function literals(list: string): string[] | undefined {
  const values: string[] = [];
  const pattern = /\s*'((?:[^']|'')*)'(?:::[a-z ]+)?\s*(,|$)/gy;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(list)) !== null) {
    values.push(match[1]!.replace(/''/g, "'"));
    if (match[2] === '') return values;
  }
  return undefined;
}

function flip(operator: string): string {
  return ({ '>=': '<=', '>': '<', '<=': '>=', '<': '>' } as Record<string, string>)[operator]!;
}

function bound(column: string, operator: string, literal: string): ColumnRule {
  const value = Number(literal);
  const integral = Number.isInteger(value);
  // Strict bounds on integers move by one; on decimals by a cent (money is the usual case).
  const step = integral ? 1 : 0.01;
  if (operator === '>=') return { column, min: value };
  if (operator === '>') return { column, min: value + step };
  if (operator === '<=') return { column, max: value };
  return { column, max: value - step };
}

/**
 * The rules one CHECK definition (`CHECK (...)` as pg_get_constraintdef
 * prints it) puts on single columns; `VALUE` stands for a domain's column.
 * Returns undefined when some part of it is not understood.
 */
export function parseCheck(definition: string): ColumnRule[] | undefined {
  const body = definition.replace(/^CHECK\s*/i, '').replace(/\s+NOT VALID$/i, '');
  const rules: ColumnRule[] = [];
  for (const part of conjuncts(stripParens(body))) {
    let match = COMPARISON.exec(part);
    if (match) {
      rules.push(bound(match[1]!, match[2]!, match[3]!));
      continue;
    }
    match = REVERSED.exec(part);
    if (match) {
      rules.push(bound(match[3]!, flip(match[2]!), match[1]!));
      continue;
    }
    match = ANY_ARRAY.exec(part);
    if (match) {
      const values = literals(match[2]!);
      if (!values) return undefined;
      rules.push({ column: match[1]!, allowed: values });
      continue;
    }
    match = EQUALS.exec(part);
    if (match) {
      rules.push({ column: match[1]!, allowed: [match[2]!.replace(/''/g, "'")] });
      continue;
    }
    return undefined;
  }
  return rules;
}

/** Folds rules for one column into its tightest bounds and allowed list. */
export function combineRules(rules: readonly ColumnRule[]): { allowed: string[] | null; min: number | null; max: number | null } {
  let allowed: string[] | null = null;
  let min: number | null = null;
  let max: number | null = null;
  for (const rule of rules) {
    if (rule.allowed) allowed = allowed ? allowed.filter((value) => rule.allowed!.includes(value)) : [...rule.allowed];
    if (rule.min !== undefined) min = min === null ? rule.min : Math.max(min, rule.min);
    if (rule.max !== undefined) max = max === null ? rule.max : Math.min(max, rule.max);
  }
  return { allowed, min, max };
}

/**
 * A comparison between two columns of a row (`expires_at > created_at`,
 * `ends_at <= starts_at + '7 days'::interval`, `max_qty >= min_qty`):
 * `left op right + offset`, the offset in seconds for times, in units for numbers.
 */
export interface ColumnOrdering {
  left: string;
  operator: '>' | '>=' | '<' | '<=';
  right: string;
  offset: number;
}

const UNIT_SECONDS: Record<string, number> = { second: 1, sec: 1, minute: 60, min: 60, hour: 3_600, day: 86_400, week: 604_800 };

/** Seconds of an interval literal as PostgreSQL prints it (`7 days`, `01:00:00`, `1 day 02:00:00`), or undefined. */
function intervalSeconds(literal: string): number | undefined {
  let seconds = 0;
  let rest = literal.trim();
  const clock = /(-)?(\d+):(\d{2})(?::(\d{2}))?$/.exec(rest);
  if (clock) {
    seconds += (clock[1] ? -1 : 1) * (Number(clock[2]) * 3_600 + Number(clock[3]) * 60 + Number(clock[4] ?? 0));
    rest = rest.slice(0, clock.index).trim();
  }
  const pattern = /(-?\d+(?:\.\d+)?)\s*(second|sec|minute|min|hour|day|week)s?\s*/gy;
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(rest)) !== null) {
    seconds += Number(match[1]) * UNIT_SECONDS[match[2]!]!;
    consumed = pattern.lastIndex;
  }
  return consumed === rest.length ? seconds : undefined;
}

const OFFSET = String.raw`\s*([+-])\s*(?:'([^']*)'::interval|(\d+(?:\.\d+)?))`;
const SIDE = String.raw`\(?${COLUMN}(?:${OFFSET})?\)?`;
const TWO_COLUMNS = new RegExp(`^${SIDE}\\s*(>=|>|<=|<)\\s*${SIDE}$`);

/**
 * The two-column comparisons of one CHECK definition; undefined when some
 * part of it is not one (testapi then leaves that CHECK to PostgreSQL).
 */
export function parseOrderings(definition: string): ColumnOrdering[] | undefined {
  const body = definition.replace(/^CHECK\s*/i, '').replace(/\s+NOT VALID$/i, '');
  const orderings: ColumnOrdering[] = [];
  for (const part of conjuncts(stripParens(body))) {
    const match = TWO_COLUMNS.exec(part);
    if (!match) return undefined;
    const [, left, leftSign, leftInterval, leftNumber, operator, right, rightSign, rightInterval, rightNumber] = match;
    const amount = (sign: string | undefined, interval: string | undefined, number: string | undefined): number | undefined => {
      if (!sign) return 0;
      const value = interval !== undefined ? intervalSeconds(interval) : Number(number);
      return value === undefined ? undefined : sign === '-' ? -value : value;
    };
    const leftOffset = amount(leftSign, leftInterval, leftNumber);
    const rightOffset = amount(rightSign, rightInterval, rightNumber);
    if (leftOffset === undefined || rightOffset === undefined || left === right) return undefined;
    // left + a op right + b  is  left op right + (b - a).
    orderings.push({ left: left!, operator: operator as ColumnOrdering['operator'], right: right!, offset: rightOffset - leftOffset });
  }
  return orderings;
}

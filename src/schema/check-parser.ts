/**
 * Reads the CHECK constraints testapi can satisfy by construction: an IN list
 * (`status IN ('a', 'b')`, which PostgreSQL prints as `= ANY (ARRAY[...])`)
 * and simple bounds (`>= 0`, `BETWEEN 1 AND 5`, printed as two comparisons).
 * Anything else (two columns, functions, OR) is left to PostgreSQL: a value
 * it rejects becomes a 422 that names the constraint.
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

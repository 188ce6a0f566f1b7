import { InvalidArgumentError } from 'commander';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `30s`, `15m`, `2h`, `7d` or a bare number of seconds, as whole seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)\s*([smhd]?)$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError(`expected a duration like 30s, 15m, 2h or 7d, got ${JSON.stringify(text)}`);
  return Number(match[1]) * UNIT_SECONDS[match[2] || 's']!;
}

/** A whole number within [min, max]. */
export function parseWholeNumber(min: number, max: number): (text: string) => number {
  return (text) => {
    if (!/^\d+$/.test(text.trim()) || Number(text) < min || Number(text) > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
    }
    return Number(text);
  };
}

// Values that are valid JSON are taken as JSON, so `orders=5` sends a number
// and `phone="5551234"` keeps a numeric-looking string; anything else is text.
function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * A commander parser for a repeatable `key=value` option: `--param orders=5 --override user.email=a@example.com`
 * accumulates `{ orders: 5 }` and `{ user: { email: 'a@example.com' } }`. Dotted keys nest; a later key wins.
 */
export function assignmentParser(option: string): (assignment: string, previous: Record<string, unknown> | undefined) => Record<string, unknown> {
  return (assignment, previous) => {
    const result: Record<string, unknown> = { ...previous };
    const equals = assignment.indexOf('=');
    const key = equals > 0 ? assignment.slice(0, equals) : '';
    if (!key || key.split('.').some((part) => part === '')) {
      throw new InvalidArgumentError(`expected key=value, e.g. ${option} orders=5`);
    }
    const path = key.split('.');
    let target = result;
    for (const part of path.slice(0, -1)) {
      const next = target[part];
      target = (target[part] = typeof next === 'object' && next !== null ? { ...next } : {}) as Record<string, unknown>;
    }
    target[path[path.length - 1]!] = parseValue(assignment.slice(equals + 1));
    return result;
  };
}

import type { Faker } from '@faker-js/faker';
import { validationError } from '../errors';
import { REFERENCE_DATE } from '../provisioning/seeded-random';

/**
 * The template vocabulary of scenario files: `{{params.name}}`,
 * `{{date.daysAgo(n)}}` / `{{date.daysFromNow(n)}}` (n a whole number or an
 * integer param; days from the engine's fixed REFERENCE_DATE, so a seed
 * gives the same dates on any day) and `{{faker.module.method}}` from the
 * allow-list below, drawn from the request's seeded faker. An expression is
 * matched against these shapes, never evaluated: a scenario file cannot run
 * anything.
 */
export const FAKER_ALLOW_LIST = [
  'person.firstName',
  'person.lastName',
  'person.fullName',
  'person.jobTitle',
  'company.name',
  'location.streetAddress',
  'location.city',
  'location.state',
  'location.country',
  'location.countryCode',
  'location.zipCode',
  'internet.exampleEmail',
  'internet.username',
  'lorem.word',
  'lorem.words',
  'lorem.sentence',
  'commerce.productName',
  'commerce.department',
  'music.genre',
  'music.songName',
  'book.title',
  'color.human',
  'finance.currencyCode',
  'string.uuid',
] as const;

const FAKER_NAMES = new Set<string>(FAKER_ALLOW_LIST);
const TEMPLATE = /\{\{(.*?)\}\}/g;
const PARAM = /^params\.([A-Za-z_][A-Za-z0-9_]*)$/;
const DATE = /^date\.(daysAgo|daysFromNow)\((?:(\d{1,5})|params\.([A-Za-z_][A-Za-z0-9_]*))\)$/;
const FAKER = /^faker\.([a-z]+\.[A-Za-z]+)$/;
const MAX_DAYS = 36_500;
const DAY_MS = 86_400_000;

export const VOCABULARY = '{{params.<name>}}, {{date.daysAgo(<n>)}}, {{date.daysFromNow(<n>)}}, {{faker.<module>.<method>}} from the allow-list';

type Expression =
  | { kind: 'param'; name: string }
  | { kind: 'date'; sign: -1 | 1; days: number | { param: string } }
  | { kind: 'faker'; module: string; method: string };

/** A string of the file: literal text, or text with expressions. A lone expression keeps its value's type (a count stays a number). */
export type Template = { kind: 'literal'; text: string } | { kind: 'whole'; expression: Expression } | { kind: 'mixed'; parts: Array<string | Expression> };

export interface TemplateContext {
  params: Record<string, unknown>;
  faker: Faker;
}

/** What a template may refer to: the params declared in the file and their types. */
export interface TemplateScope {
  paramTypes: ReadonlyMap<string, string>;
}

function parseExpression(source: string, scope: TemplateScope): Expression | string {
  const text = source.trim();
  const param = PARAM.exec(text);
  if (param) {
    return scope.paramTypes.has(param[1]!) ? { kind: 'param', name: param[1]! } : `{{${text}}} names no declared param (declared: ${[...scope.paramTypes.keys()].join(', ') || 'none'})`;
  }
  const date = DATE.exec(text);
  if (date) {
    const sign = date[1] === 'daysAgo' ? -1 : 1;
    if (date[3] !== undefined) {
      if (scope.paramTypes.get(date[3]) !== 'integer') return `{{${text}}}: date.${date[1]} takes a whole number or an integer param`;
      return { kind: 'date', sign, days: { param: date[3] } };
    }
    const days = Number(date[2]);
    if (days > MAX_DAYS) return `{{${text}}}: at most ${MAX_DAYS} days`;
    return { kind: 'date', sign, days };
  }
  const faker = FAKER.exec(text);
  if (faker && FAKER_NAMES.has(faker[1]!)) {
    const [module, method] = faker[1]!.split('.') as [string, string];
    return { kind: 'faker', module, method };
  }
  if (faker) return `{{${text}}}: faker.${faker[1]} is not in the allow-list (${FAKER_ALLOW_LIST.join(', ')})`;
  return `{{${text}}} is not in the template vocabulary: ${VOCABULARY}`;
}

/** Parses one string of the file; a string answer is the problem. */
export function parseTemplate(text: string, scope: TemplateScope): Template | string {
  if (!text.includes('{{')) return { kind: 'literal', text };
  const parts: Array<string | Expression> = [];
  let last = 0;
  for (const match of text.matchAll(TEMPLATE)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    const expression = parseExpression(match[1]!, scope);
    if (typeof expression === 'string') return expression;
    parts.push(expression);
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  if (parts.some((part) => typeof part === 'string' && (part.includes('{{') || part.includes('}}')))) return `"${text}" has an unclosed or nested {{ }}`;
  if (parts.length === 1 && typeof parts[0] !== 'string') return { kind: 'whole', expression: parts[0]! };
  return { kind: 'mixed', parts };
}

function evaluate(expression: Expression, context: TemplateContext): unknown {
  switch (expression.kind) {
    case 'param':
      return context.params[expression.name];
    case 'date': {
      const days = typeof expression.days === 'number' ? expression.days : Number(context.params[expression.days.param] ?? 0);
      // A literal is bounded at load; a param only by the file's own maximum, which may be missing (new Date() of
      // 10^12 days throws RangeError, a 500). The caller's value is what is wrong: a 400 naming it.
      if (typeof expression.days !== 'number' && !(Math.abs(days) <= MAX_DAYS)) {
        const path = `params.${expression.days.param}`;
        throw validationError([{ path, message: `${path} is used as a number of days in date.${expression.sign < 0 ? 'daysAgo' : 'daysFromNow'}: at most ${MAX_DAYS}` }]);
      }
      return new Date(REFERENCE_DATE.getTime() + expression.sign * days * DAY_MS).toISOString();
    }
    case 'faker': {
      // Only allow-listed module.method pairs reach this line (checked at load).
      const module = (context.faker as unknown as Record<string, Record<string, () => unknown>>)[expression.module]!;
      return module[expression.method]!.call(module);
    }
  }
}

export function resolveTemplate(template: Template, context: TemplateContext): unknown {
  if (template.kind === 'literal') return template.text;
  if (template.kind === 'whole') return evaluate(template.expression, context);
  return template.parts.map((part) => (typeof part === 'string' ? part : String(evaluate(part, context) ?? ''))).join('');
}

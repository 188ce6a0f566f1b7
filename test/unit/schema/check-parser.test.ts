import { combineRules, parseCheck, parseOrderings } from '../../../src/schema/check-parser';

describe('parseCheck', () => {
  test.each([
    ["CHECK ((status = ANY (ARRAY['active'::text, 'suspended'::text])))", [{ column: 'status', allowed: ['active', 'suspended'] }]],
    ["CHECK (((kind)::text = ANY ((ARRAY['a'::character varying, 'it''s'::character varying])::text[])))", [{ column: 'kind', allowed: ['a', "it's"] }]],
    ['CHECK ((stock >= 0))', [{ column: 'stock', min: 0 }]],
    ['CHECK ((quantity > 0))', [{ column: 'quantity', min: 1 }]],
    ['CHECK (((VALUE >= 1901) AND (VALUE <= 2155)))', [{ column: 'VALUE', min: 1901 }, { column: 'VALUE', max: 2155 }]],
    ['CHECK ((rating >= 1) AND (rating <= 5))', [{ column: 'rating', min: 1 }, { column: 'rating', max: 5 }]],
    ['CHECK ((price > 0.5))', [{ column: 'price', min: 0.51 }]],
    ["CHECK ((currency = 'EUR'::bpchar))", [{ column: 'currency', allowed: ['EUR'] }]],
    ['CHECK ((0 <= discount))', [{ column: 'discount', min: 0 }]],
  ])('When %s, then the rules are %j', (definition, rules) => {
    expect(parseCheck(definition)).toEqual(rules);
  });

  test.each([
    'CHECK ((ends_at > starts_at))',
    "CHECK (((status = 'a'::text) OR (status = 'b'::text)))",
    'CHECK ((length(name) < 3))',
    "CHECK ((name !~ '^X'::text))",
  ])('When %s (two columns, OR, functions, patterns), then it is left to PostgreSQL', (definition) => {
    expect(parseCheck(definition)).toBeUndefined();
  });
});

describe('combineRules', () => {
  test('When a table CHECK and a domain CHECK bound one column, then the tightest bounds and the common values hold', () => {
    expect(
      combineRules([
        { column: 'x', min: 0 },
        { column: 'x', min: 5, max: 10 },
        { column: 'x', allowed: ['5', '6', '7'] },
        { column: 'x', allowed: ['6', '7', '8'] },
      ]),
    ).toEqual({ allowed: ['6', '7'], min: 5, max: 10 });
  });
});

describe('parseOrderings', () => {
  test.each([
    ['CHECK ((expires_at > created_at))', [{ left: 'expires_at', operator: '>', right: 'created_at', offset: 0 }]],
    ['CHECK (("expiresAt" >= "createdAt"))', [{ left: 'expiresAt', operator: '>=', right: 'createdAt', offset: 0 }]],
    ["CHECK ((ends_at <= (starts_at + '7 days'::interval)))", [{ left: 'ends_at', operator: '<=', right: 'starts_at', offset: 604_800 }]],
    [
      "CHECK (((ends_at > starts_at) AND (ends_at < (starts_at + '1 day 02:00:00'::interval))))",
      [
        { left: 'ends_at', operator: '>', right: 'starts_at', offset: 0 },
        { left: 'ends_at', operator: '<', right: 'starts_at', offset: 93_600 },
      ],
    ],
    ['CHECK (((max_qty - 1) >= min_qty))', [{ left: 'max_qty', operator: '>=', right: 'min_qty', offset: 1 }]],
  ])('When %s, then the orderings are %j', (definition, orderings) => {
    expect(parseOrderings(definition)).toEqual(orderings);
  });

  test.each(['CHECK ((price > 0))', "CHECK ((lower(name) <> 'x'::text))", 'CHECK (((a > b) OR (a IS NULL)))', "CHECK ((a < (b + '1 mon'::interval)))"])(
    'When %s (a constant, a function, OR, a month of varying length), then it is no ordering',
    (definition) => {
      expect(parseOrderings(definition)).toBeUndefined();
    },
  );
});

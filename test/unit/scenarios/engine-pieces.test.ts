import fc from 'fast-check';
import { canonicalJson, requestHash } from '../../../src/provisioning/canonical-json';
import { compileCopySerializer, copyText, copyValue, isoTimestamp } from '../../../src/provisioning/copy-text';
import { isReservedDomain, isReservedEmail } from '../../../src/validation/dto-decorators';
import { createRandomSources, leaseRandomSources, REFERENCE_DATE } from '../../../src/provisioning/seeded-random';
import { newRequestId, uniqueValues } from '../../../src/provisioning/unique-values';

describe('COPY text', () => {
  test('When a value holds backslash, tab, newline or carriage return, then each is escaped; other text is untouched', () => {
    expect(copyText('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyText("O'Brien, \"quoted\" — ünïcode")).toBe("O'Brien, \"quoted\" — ünïcode");
    expect(copyText('\\N')).toBe('\\\\N');
  });

  test('When a value is null or undefined, then it is \\N; numbers, booleans and objects are written as text', () => {
    expect(copyValue(null)).toBe('\\N');
    expect(copyValue(undefined)).toBe('\\N');
    expect(copyValue(42)).toBe('42');
    expect(copyValue(true)).toBe('t');
    // JSON writes the tab as \t; COPY then doubles that backslash.
    expect(copyValue({ a: 'x\ty' })).toBe('{"a":"x\\\\ty"}');
  });

  test('When any date within years 0 to 9999 is formatted, then the result equals toISOString', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), (ms) => {
        const date = new Date(ms);
        expect(isoTimestamp(date)).toBe(date.toISOString());
      }),
      { numRuns: 5_000 },
    );
    expect(isoTimestamp(new Date(Date.UTC(10_000, 0, 1)))).toBe('+010000-01-01T00:00:00.000Z');
  });

  test('When a serializer is compiled, then it writes columns in order with constants, NULLs and escapes', () => {
    const line = compileCopySerializer([
      { property: 'id', kind: 'plain' },
      { property: 'testTag', kind: 'text', constant: true },
      { property: 'name', kind: 'text' },
      { property: 'count', kind: 'plain' },
      { property: 'at', kind: 'timestamp' },
      { property: 'none', kind: 'text' },
    ]);

    expect(line({ id: 'u1', name: 'a\tb', count: 3, at: new Date(0), none: null }, ['tag-1'])).toBe(
      'u1\ttag-1\ta\\tb\t3\t1970-01-01T00:00:00.000Z\t\\N\n',
    );
  });

  test('When a property name is not an identifier, then compiling refuses', () => {
    expect(() => compileCopySerializer([{ property: 'a;process.exit()', kind: 'plain' }])).toThrow(/Cannot compile/);
  });
});

describe('canonical JSON', () => {
  test('When keys come in another order, then the text and the hash are the same', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}');
    expect(requestHash('user', { tag: 'x', params: { a: 1, b: 2 } })).toBe(requestHash('user', { params: { b: 2, a: 1 }, tag: 'x' }));
  });

  test('When the scenario or a value differs, then the hash differs', () => {
    expect(requestHash('user', { seed: 1 })).not.toBe(requestHash('catalog', { seed: 1 }));
    expect(requestHash('user', { seed: 1 })).not.toBe(requestHash('user', { seed: '1' }));
  });
});

describe('reserved e-mail domains', () => {
  test.each(['a@example.com', 'a@example.net', 'a@example.org', 'a@mail.example.com', 'a@acme.test', 'a@x.y.example', 'a@nowhere.invalid'])(
    'When %s, then accepted',
    (email) => {
      expect(isReservedEmail(email)).toBe(true);
    },
  );

  test.each(['a@gmail.com', 'a@example.co', 'a@notexample.com', 'a@example.com.evil.io', 'a@test', 'a@example', 'no-at-sign', 'a@acme.testing'])(
    'When %s, then refused',
    (email) => {
      expect(isReservedEmail(email)).toBe(false);
    },
  );

  test('When a domain is checked alone, then the same rule applies', () => {
    expect(isReservedDomain('acme.test')).toBe(true);
    expect(isReservedDomain('acme.com')).toBe(false);
  });
});

describe('seeded sources', () => {
  test('When seeded with 42, then the first draws are pinned (the same on every machine)', () => {
    const { random } = createRandomSources(42);

    expect([random.int(0, 1_000_000), random.int(0, 1_000_000), random.int(0, 1_000_000)]).toMatchSnapshot();
  });

  test('When a pooled instance is reused with a seed, then it draws exactly what a fresh instance with that seed draws', () => {
    const draw = (sources: { faker: { person: { fullName(): string }; commerce: { productName(): string } }; random: { int(a: number, b: number): number } }) => [
      sources.faker.person.fullName(),
      sources.random.int(0, 1e6),
      sources.faker.commerce.productName(),
    ];
    const first = leaseRandomSources(5);
    draw(first);
    first.release();

    const reused = leaseRandomSources(11);
    const fromReused = draw(reused);
    reused.release();

    expect(fromReused).toEqual(draw(createRandomSources(11)));
  });

  test('When two requests hold sources at once, then they get different instances', () => {
    const a = leaseRandomSources(1);
    const b = leaseRandomSources(1);

    expect(a.faker).not.toBe(b.faker);
    a.release();
    b.release();
  });

  test('When faker draws dates, then they are relative to the fixed reference date, not to now', () => {
    const { faker, random } = createRandomSources(1);

    expect(faker.date.recent({ days: 10 }).getTime()).toBeLessThanOrEqual(REFERENCE_DATE.getTime());
    expect(random.recentDate(10).getTime()).toBeLessThan(REFERENCE_DATE.getTime());
  });

  test('When weighted picks are drawn many times, then each value appears about as often as its weight says', () => {
    const { random } = createRandomSources(3);
    const counts = { a: 0, b: 0 };
    for (let draw = 0; draw < 10_000; draw += 1) counts[random.weighted([{ weight: 3, value: 'a' as const }, { weight: 1, value: 'b' as const }])] += 1;

    expect(counts.a / 10_000).toBeCloseTo(0.75, 1);
  });
});

describe('unique values', () => {
  test('When built, then they embed the request id and the row index, and e-mails keep a safe local part', () => {
    const unique = uniqueValues('abc123def456');

    expect(unique.code('SKU', 7)).toBe('SKU-ABC123DEF456-7');
    expect(unique.email("Zoë.O'Brien", 3, 'example.com')).toBe('zoe.obrien.abc123def456.3@example.com');
  });

  test('When two requests build values, then their ids differ', () => {
    expect(uniqueValues().requestId).not.toBe(uniqueValues().requestId);
    expect(uniqueValues().requestId).toMatch(/^[a-z0-9]{12}$/);
  });

  test('When more ids are drawn than one 4 KiB refill of entropy holds, then every id is well formed and none repeats across the refills', () => {
    const ids = Array.from({ length: 2_000 }, () => newRequestId());

    expect(ids.every((id) => /^[a-z0-9]{12}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

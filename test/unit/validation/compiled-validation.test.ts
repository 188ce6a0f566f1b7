import 'reflect-metadata';
import fc from 'fast-check';
import { AppError } from '../../../src/errors';
import { compiledVerdict } from '../../../src/provisioning/compiled-validation';
import { validateProvisionRequest } from '../../../src/provisioning/request-validation';
import type { AnyRecipe } from '../../../src/provisioning/scenario-recipe';
import { dtoSchemas, schemaOfDto } from '../../../src/provisioning/scenario-schemas';
import { SCENARIOS } from '../../../src/scenarios/registry';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

/** class-validator's verdict (the one definition): the accepted params, or the paths of the 400's errors. */
function referenceVerdict(recipe: AnyRecipe, body: Record<string, unknown>): { ok: true; params: object } | { ok: false; paths: string[] } {
  try {
    return { ok: true, params: { ...validateProvisionRequest(recipe, body, { compiled: false }).params } };
  } catch (error) {
    if (!(error instanceof AppError) || error.status !== 400) throw error;
    return { ok: false, paths: [...new Set((error.errors ?? []).map((fieldError) => fieldError.path))].sort() };
  }
}

/** Anything JSON can carry where a field is expected, weighted towards the values at the edge of each rule. */
function valueFor(property: Record<string, unknown> | undefined): fc.Arbitrary<unknown> {
  const min = typeof property?.minimum === 'number' ? property.minimum : 0;
  const max = typeof property?.maximum === 'number' ? property.maximum : 100;
  const enumValues = Array.isArray(property?.enum) ? (property.enum as unknown[]) : [];
  return fc.oneof(
    fc.integer({ min: min - 2, max: min + 2 }),
    fc.integer({ min: max - 2, max: max + 2 }),
    fc.integer({ min: min, max: max }),
    fc.double({ noNaN: true, min: min - 1, max: max + 1 }),
    ...(enumValues.length > 0 ? [fc.constantFrom(...enumValues)] : []),
    fc.constantFrom(null, true, '', '3', 'paid ', 'PAID', [], {}, [1]),
    fc.string({ maxLength: 8 }),
  );
}

function paramsFor(recipe: AnyRecipe): fc.Arbitrary<unknown> {
  const schema = schemaOfDto(recipe.params, dtoSchemas());
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const known = Object.fromEntries(Object.keys(properties).map((name) => [name, valueFor(properties[name])]));
  const params = fc.record({ ...known, unknownKey: fc.integer() }, { requiredKeys: [] });
  return fc.oneof({ weight: 6, arbitrary: params }, { weight: 1, arbitrary: fc.constantFrom(null, [], 'params', 3) });
}

const TAGS = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/),
  fc.constantFrom('', '-starts-with-dash', 'has space', 'ü-tag', 'a'.repeat(65), null, 42, ['t']),
);

function bodyFor(recipe: AnyRecipe): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(
    {
      tag: TAGS,
      seed: valueFor({ minimum: 0, maximum: 2_147_483_647 }),
      ttlSeconds: valueFor({ minimum: 1, maximum: 2_592_000 }),
      params: paramsFor(recipe),
      // Non-empty overrides go to class-validator by design; here only what the envelope judges.
      overrides: fc.constantFrom({}, null, [], 'x', 0),
      extra: fc.integer(),
    },
    { requiredKeys: [] },
  );
}

describe('Compiled (ajv) validation of provisioning bodies against class-validator', () => {
  test.each(SCENARIOS.map((recipe) => [recipe.name, recipe] as const))(
    'When %s bodies are generated, then both accept and reject the same ones, with the same field paths and the same params',
    (_name, recipe) => {
      fc.assert(
        fc.property(bodyFor(recipe), (body) => {
          const reference = referenceVerdict(recipe, body);
          const compiled = compiledVerdict(recipe, body);
          if (compiled.ok) {
            expect(reference).toEqual({ ok: true, params: { ...compiled.value.params } });
          } else {
            expect(compiled.paths.length).toBeGreaterThan(0);
            expect(reference).toEqual({ ok: false, paths: [...compiled.paths].sort() });
          }
        }),
        { numRuns: RUNS },
      );
    },
  );

  test('When overrides hold fields, then the compiled check leaves the body to class-validator', () => {
    const recipe = SCENARIOS.find((candidate) => candidate.name === 'user-with-orders')!;
    expect(compiledVerdict(recipe, { overrides: { user: { email: 'a@example.com' } } })).toEqual({ ok: false, paths: [] });
  });
});

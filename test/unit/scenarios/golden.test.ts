import { SCENARIOS } from '../../../src/scenarios/registry';
import { maskUuids, runRecipe } from './recording-sink';

/**
 * Golden output per scenario of the registry (a new scenario's snapshot is
 * written by its first local run; commit it): the same seed must give the same graph on any
 * machine, any day. A change here is a change of the recipe's output: bump
 * its `version` and update the snapshot (`npx jest -u test/unit/scenarios`).
 * The snapshot records the version, so the two cannot drift apart unnoticed.
 */
const PARAMS: Record<string, Record<string, unknown>> = {
  'user-with-orders': { orders: 3, itemsPerOrder: 2, status: 'delivered' },
  'bulk-orders': { users: 3, ordersPerUser: 2, itemsPerOrder: 2, products: 4 },
  catalog: { products: 5 },
};

describe.each(SCENARIOS.map((recipe) => [recipe.name, recipe] as const))('scenario %s', (name, recipe) => {
  test('When built with seed 42, then the graph equals the committed golden snapshot', async () => {
    const { data, sink } = await runRecipe(recipe, 42, PARAMS[name]);

    // One masking pass: the same <uuid-N> in `rows` and `data` is the same record.
    expect(maskUuids({ version: recipe.version, counts: sink.counts(), rows: sink.rows, data })).toMatchSnapshot();
  });

  test('When built twice with one seed, then identical; with another seed, different', async () => {
    const a = await runRecipe(recipe, 7, PARAMS[name]);
    const b = await runRecipe(recipe, 7, PARAMS[name]);
    const c = await runRecipe(recipe, 8, PARAMS[name]);

    expect(maskUuids(b.sink.rows)).toEqual(maskUuids(a.sink.rows));
    expect(maskUuids(c.sink.rows)).not.toEqual(maskUuids(a.sink.rows));
  });
});

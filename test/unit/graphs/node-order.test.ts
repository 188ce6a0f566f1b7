import fc from 'fast-check';
import { orderByNeeds } from '../../../src/graphs/node-order';

/** The loop order() used before issue 26: a sweep over the request order per round, until nothing more is placed. */
function sweepOrder(items: number[], needs: Map<number, number[]>): { ordered: number[]; sweeps: number } {
  const done = new Set<number>();
  const ordered: number[] = [];
  let sweeps = 0;
  let progressed = true;
  while (ordered.length < items.length && progressed) {
    progressed = false;
    sweeps += 1;
    for (const item of items) {
      if (done.has(item) || !needs.get(item)!.every((need) => done.has(need))) continue;
      done.add(item);
      ordered.push(item);
      progressed = true;
    }
  }
  return { ordered, sweeps };
}

describe('orderByNeeds (the graph plan order)', () => {
  test('When 16,000 items each need the next one, then they come last-first after one read of each item\'s needs', () => {
    const items = Array.from({ length: 16_000 }, (_, index) => index);

    const result = orderByNeeds(items, (item) => (item + 1 < items.length ? [item + 1] : []));

    expect(result.needReads).toBe(items.length);
    expect(result.ordered).toEqual([...items].reverse());
    expect(result.unplaced).toEqual([]);
  });

  test('When needs form any graph (cycles too), then the order and the unplaced items are those of the sweep loop', () => {
    const graphs = fc.integer({ min: 1, max: 60 }).chain((size) =>
      fc.tuple(fc.constant(size), fc.array(fc.array(fc.integer({ min: 0, max: size - 1 }), { maxLength: 3 }), { minLength: size, maxLength: size }), fc.boolean()),
    );
    fc.assert(
      fc.property(graphs, ([size, lists, acyclic]) => {
        const items = Array.from({ length: size }, (_, index) => index);
        // Half the cases keep only needs on lower indexes... of a shuffled numbering, so a DAG in any request order.
        const needs = new Map(items.map((item) => [item, lists[item]!.filter((need) => !acyclic || (need * 7919) % size < (item * 7919) % size || need < item)]));
        const expected = sweepOrder(items, needs);

        const result = orderByNeeds(items, (item) => needs.get(item)!);

        expect(result.ordered).toEqual(expected.ordered);
        expect(result.unplaced).toEqual(items.filter((item) => !expected.ordered.includes(item)));
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });
});

import { parsePath, valueAt } from '../../../src/pact/inject-path';
import { stateTag } from '../../../src/pact/state-tag';
import { isValidTag } from '../../../src/tags/tag-name';

describe('stateTag', () => {
  test('When mapping and session are as long as allowed, then the tag is still a valid tag; the same state and params give the same tag and seed', () => {
    const key = { mapping: 'm'.repeat(24), session: 's'.repeat(22), state: 'a user with orders', params: { orders: 2, status: 'x' } };

    const first = stateTag(key);
    const reordered = stateTag({ ...key, params: { status: 'x', orders: 2 } });

    expect(isValidTag(first.tag)).toBe(true);
    expect(reordered).toEqual(first);
    expect(stateTag({ ...key, params: { orders: 3, status: 'x' } }).tag).not.toBe(first.tag);
    expect(first.seed).toBeGreaterThanOrEqual(0);
    expect(first.seed).toBeLessThanOrEqual(2_147_483_647);
  });
});

describe('inject paths', () => {
  test('When a path names keys and indexes, then it reads exactly that value, own properties only', () => {
    const data = { user: { id: 'u1' }, orders: [{ id: 'o1', items: [{ id: 'i1' }] }] };

    expect(valueAt(data, parsePath('orders[0].items[0].id')!)).toBe('i1');
    expect(valueAt(data, parsePath('user.id')!)).toBe('u1');
    expect(valueAt(data, parsePath('orders[1].id')!)).toBeUndefined();
    expect(valueAt(data, parsePath('user.constructor')!)).toBeUndefined();
    expect(['user..id', '.id', 'orders[]', 'orders[-1]', '', 'a b'].map(parsePath)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});

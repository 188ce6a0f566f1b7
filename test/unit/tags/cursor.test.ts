import { decodeIdsCursor, decodeTagListCursor, encodeIdsCursor, encodeTagListCursor } from '../../../src/tags/cursor';

describe('tag list cursor', () => {
  test('When encoded and decoded, then the microsecond position survives', () => {
    const position = { createdAt: '2026-11-25T10:11:12.123456Z', tag: 'ci-7' };

    expect(decodeTagListCursor(encodeTagListCursor(position))).toEqual(position);
  });

  test.each([
    ['garbage', 'not a cursor!'],
    ['JSON without fields', Buffer.from('{}').toString('base64url')],
    ['a millisecond timestamp', Buffer.from(JSON.stringify({ c: '2026-11-25T10:11:12.123Z', t: 'x' })).toString('base64url')],
    ['an invalid tag', Buffer.from(JSON.stringify({ c: '2026-11-25T10:11:12.123456Z', t: '%' })).toString('base64url')],
  ])('When the cursor is %s, then it is refused', (_case, cursor) => {
    expect(decodeTagListCursor(cursor)).toBeUndefined();
  });
});

describe('ids cursor', () => {
  test('When all nine tables continue, then the cursor stays within the contract limit of 512 characters', () => {
    const id = 'ffffffff-ffff-4fff-bfff-ffffffffffff';
    const position = {
      organizations: id, users: id, memberships: id, addresses: id, products: id, orders: id, order_items: id, payments: id, shipments: id,
    };

    const cursor = encodeIdsCursor(position);

    expect(cursor.length).toBeLessThanOrEqual(512);
    expect(decodeIdsCursor(cursor)).toEqual(position);
  });

  test.each([
    ['empty', 'AQ'],
    ['a wrong version', Buffer.from([2, ...Array(17).fill(0)]).toString('base64url')],
    ['an unknown table index', Buffer.from([1, 9, ...Array(16).fill(0)]).toString('base64url')],
    ['a truncated entry', Buffer.from([1, 0, 1, 2]).toString('base64url')],
    ['a repeated table', Buffer.from([1, 0, ...Array(16).fill(0), 0, ...Array(16).fill(0)]).toString('base64url')],
  ])('When the cursor is %s, then it is refused', (_case, cursor) => {
    expect(decodeIdsCursor(cursor)).toBeUndefined();
  });
});

import { useTestApp } from '../../support/app';
import { http } from '../../support/http';
import { ordersMapping, storedMapping, uniqueMappingName } from './pact-helpers';

const testApp = useTestApp();

describe('PUT|GET|DELETE /pact/mappings/{name}', () => {
  test('When a valid mapping is put, replaced, read and deleted, then the row follows each step and GET returns it with defaults filled in', async () => {
    const name = uniqueMappingName('crud');
    const { ttlSeconds: _ttl, ...withoutTtl } = ordersMapping();

    const created = await http(testApp.app).put(`/pact/mappings/${name}`).send(withoutTtl).expect(201);
    const replaced = await http(testApp.app).put(`/pact/mappings/${name}`).send(ordersMapping(60)).expect(200);
    const read = await http(testApp.app).get(`/pact/mappings/${name}`).expect(200);

    expect(created.body).toMatchObject({ name, ttlSeconds: testApp.config.defaultTagTtlSeconds, unknownStates: 'reject' });
    expect(replaced.body).toMatchObject({ name, ttlSeconds: 60 });
    const filledIn = { ...ordersMapping(60).states as object, 'no orders exist': { scenario: null, params: {}, inject: {} } };
    expect(read.body).toEqual({ ...replaced.body, states: filledIn });
    expect((await storedMapping(name))?.definition).toEqual({ ...ordersMapping(60), states: filledIn });

    await http(testApp.app).delete(`/pact/mappings/${name}`).expect(204);
    expect(await storedMapping(name)).toBeUndefined();
    await http(testApp.app).get(`/pact/mappings/${name}`).expect(404);
    await http(testApp.app).delete(`/pact/mappings/${name}`).expect(404);
  });

  test('When the mapping breaks several rules, then 400 names every offending path and nothing is stored', async () => {
    const name = uniqueMappingName('bad');
    const body = {
      ttlSeconds: 0,
      unknownStates: 'maybe',
      colour: 'red',
      states: {
        'no such scenario': { scenario: 'teapot' },
        'a fixed param out of its enum': { scenario: 'user-with-orders', params: { status: 'lost' } },
        'a default out of range': { scenario: 'user-with-orders', params: { orders: { param: 'n', default: 0 } } },
        'an unknown param': { scenario: 'user', params: { wings: { param: 'wings' } } },
        'an inject path that the result lacks': { scenario: 'user-with-orders', inject: { orderId: 'orders[0].nope', ok: 'orders[0].items[0].id' } },
        'an inject path that is no path': { scenario: 'user', inject: { userId: 'user..id' } },
        'nothing to inject from': { scenario: null, inject: { userId: 'user.id' } },
      },
    };

    const res = await http(testApp.app).put(`/pact/mappings/${name}`).send(body).expect(400);

    expect(res.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(
      [
        'body.colour',
        'ttlSeconds',
        'unknownStates',
        'states["no such scenario"].scenario',
        'states["a fixed param out of its enum"].params.status',
        'states["a default out of range"].params.orders.default',
        'states["an unknown param"].params.wings',
        'states["an inject path that the result lacks"].inject.orderId',
        'states["an inject path that is no path"].inject.userId',
        'states["nothing to inject from"].inject',
      ].sort(),
    );
    const message = (path: string): string => res.body.errors.find((error: { path: string }) => error.path === path).message;
    expect(message('states["an inject path that the result lacks"].inject.orderId')).toMatch(/orders\[0\]\.nope, which is not in the result of scenario user-with-orders/);
    expect(message('states["no such scenario"].scenario')).toMatch(/known scenario \(user, user-with-orders/);
    expect(await storedMapping(name)).toBeUndefined();
  });

  test('When the name or the body shape is wrong, then 400 names it and nothing is stored', async () => {
    const badName = await http(testApp.app).put('/pact/mappings/has.dots').send(ordersMapping()).expect(400);
    const notObject = await http(testApp.app).put(`/pact/mappings/${uniqueMappingName('arr')}`).send([1]).expect(400);
    const emptyState = await http(testApp.app)
      .put(`/pact/mappings/${uniqueMappingName('empty')}`)
      .send({ states: { '': { scenario: null } } })
      .expect(400);

    expect(badName.body.errors).toEqual([expect.objectContaining({ path: 'name' })]);
    expect(notObject.body.errors).toEqual([expect.objectContaining({ path: 'body' })]);
    expect(emptyState.body.errors).toEqual([expect.objectContaining({ path: 'states[""]' })]);
    expect(await storedMapping('has.dots')).toBeUndefined();
  });
});

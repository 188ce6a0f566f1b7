import { isConstantDefault } from '../../../src/schema/generators';

describe('isConstantDefault', () => {
  test.each([["''::character varying"], ['0'], ["'none'::text"], ['false'], ["'it''s'::text"], ['(0)::numeric'], ["'{}'::jsonb"]])('When the default is %s, then it is one constant', (expression) => {
    expect(isConstantDefault(expression)).toBe(true);
  });

  test.each([["nextval('members_id_seq'::regclass)"], ['gen_random_uuid()'], ['now()'], ['CURRENT_TIMESTAMP'], ["(now() + '7 days'::interval)"], ['uuid_generate_v4()']])(
    'When the default is %s, then it computes a value per row',
    (expression) => {
      expect(isConstantDefault(expression)).toBe(false);
    },
  );
});

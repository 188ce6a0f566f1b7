import { Anonymizer, parseArrayLiteral } from '../../../src/copies/anonymizer';
import { maskText } from '../../../src/copies/text-mask';

const SECRET = Buffer.alloc(32, 7);
const names = new Map([
  ['alyxandria', 'first-name'],
  ['liddellova', 'last-name'],
]);

describe('masked text', () => {
  test.each([
    ['Call Alyxandria at alyx.l@wonderpost.example', ['Alyxandria', 'alyx.l@wonderpost.example']],
    ['ring +44 7700 900417 or (0)7700 900761 or 555.013.4567', ['7700 900417', '7700 900761', '555.013.4567']],
    ['card 4111 1111 1111 1111, 4111-1111-1111-1111 and 4111111111111111', ['4111 1111', '4111-1111', '4111111111111111']],
    ['IBAN GB82 WEST 1234 5698 7654 32 or DE89370400440532013000', ['GB82', 'DE89370400440532013000']],
    ['keys sk_live_4eC39HqLyjWDarjtT1zdp7dc, ghp_abcdefghijklmnopqrstuvwxyz0123456789 and xoxb-1234567890-abcdefghij', ['4eC39HqLyjWDarjtT1zdp7dc', 'ghp_abc', 'xoxb-123']],
    ['hash $2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW', ['R9h/cIPz0gi']],
    ['SSN 078-05-1120, born 1852-05-04 (4/5/1852)', ['078-05-1120', '1852-05-04', '4/5/1852']],
    ['Signed LIDDELLOVA', ['LIDDELLOVA']],
  ])('When %j is masked, then none of its personal parts is left', (text, parts) => {
    const anonymizer = new Anonymizer(SECRET, 1, names);
    const masked = maskText(text, names, anonymizer.pseudonym);

    for (const part of parts) expect(masked).not.toContain(part);
    expect(masked.split(' ')[0]).toBe(text.split(' ')[0]);
  });

  test('When a name is masked, then it reads as the same fake as its column, and the same again with the same seed and secret only', () => {
    const anonymizer = new Anonymizer(SECRET, 1, names);
    const column = anonymizer.pseudonym('first-name', 'Alyxandria');

    expect(maskText('Dear Alyxandria,', names, anonymizer.pseudonym)).toBe(`Dear ${column},`);
    expect(new Anonymizer(SECRET, 1, names).pseudonym('first-name', 'Alyxandria')).toBe(column);
    expect(new Anonymizer(Buffer.alloc(32, 8), 1, names).pseudonym('email', 'a@b.example')).not.toBe(anonymizer.pseudonym('email', 'a@b.example'));
    expect(new Anonymizer(SECRET, 2, names).pseudonym('email', 'a@b.example')).not.toBe(anonymizer.pseudonym('email', 'a@b.example'));
  });

  test('When PostgreSQL array literals are read, then quoting, NULL and nesting are understood', () => {
    expect(parseArrayLiteral('{a,"b c",NULL,"x\\"y","NULL"}')).toEqual(['a', 'b c', null, 'x"y', 'NULL']);
    expect(parseArrayLiteral('{{1,2},{3,4}}')).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(parseArrayLiteral('{}')).toEqual([]);
    expect(parseArrayLiteral('[0:1]={a,b}')).toEqual(['a', 'b']);
  });
});

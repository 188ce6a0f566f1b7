import fc from 'fast-check';
import { JsonRowsScanner, type ScannedRow } from '../../../src/snapshots/json-rows-scanner';

/** Feeds `text` in pieces cut at `cuts` (any positions, inside strings and escapes too). */
function scan(text: string, cuts: number[]): { header: unknown; rows: ScannedRow[]; streamed: number[] } {
  const scanner = new JsonRowsScanner();
  const rows: ScannedRow[] = [];
  const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const point of [...points, text.length]) {
    scanner.push(text.slice(from, point), (row) => rows.push(row));
    from = point;
  }
  return { header: JSON.parse(scanner.headerText()), rows, streamed: [...scanner.streamedTables] };
}

const row = fc.dictionary(fc.string({ unit: 'grapheme-composite', maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 });
const snapshot = fc.record({
  format: fc.constant('testapi-snapshot'),
  note: fc.jsonValue({ maxDepth: 2 }),
  tables: fc.array(fc.record({ table: fc.string({ maxLength: 5 }), columns: fc.array(fc.string(), { maxLength: 2 }), data: fc.array(row, { maxLength: 5 }) }), { maxLength: 4 }),
});

describe('JsonRowsScanner', () => {
  test('When any snapshot is cut into any pieces, then the rows come out one by one and the header is the document with empty data arrays', () => {
    fc.assert(
      fc.property(snapshot, fc.array(fc.nat(), { maxLength: 12 }), fc.boolean(), (generated, cuts, pretty) => {
        const text = pretty ? JSON.stringify(generated, null, 2) : JSON.stringify(generated);
        // The document as its text carries it (-0 is written as 0): what the scanner can be asked to give back.
        const document = JSON.parse(text) as typeof generated;

        const result = scan(text, cuts);

        expect(result.header).toEqual({ ...document, tables: document.tables.map((table) => ({ ...table, data: [] })) });
        expect(result.rows.map((scanned) => ({ table: scanned.table, row: JSON.parse(scanned.text) as unknown }))).toEqual(
          document.tables.flatMap((table, position) => table.data.map((data) => ({ table: position, row: data }))),
        );
        expect(result.streamed).toEqual(document.tables.map((_, position) => position));
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });

  test('When a data array leaves an element out, then the blank element comes out for JSON.parse to refuse', () => {
    expect(() => scan('{"tables":[{"table":"t","data":[{"a":1},]}]}', []).rows.forEach((scanned) => JSON.parse(scanned.text))).toThrow();
    expect(scan('{"tables":[{"table":"t","data":[]}]}', []).rows).toEqual([]);
  });

  test('When "tables" comes twice, then the scanner refuses rather than guess which rows belong where', () => {
    expect(() => scan('{"tables":[],"tables":[{"table":"t","data":[1]}]}', [])).toThrow('"tables" twice');
  });
});

/**
 * Splits a JSON snapshot (`{..., "tables": [{..., "data": [rows]}]}`) as it
 * arrives: each element of a `tables[i].data` array comes out as its own
 * text (the caller parses them one at a time), everything else is kept as the
 * header's text with those arrays left empty. So the document is never held
 * whole nor parsed in one synchronous JSON.parse: a 101 MB snapshot took RSS
 * from 230 to 600 MB, and four at once stalled the event loop for 4.9 s
 * (issue 26).
 *
 * The scanner follows structure only (strings, nesting, commas): whether a
 * piece is valid JSON is JSON.parse's call, on the header and on each row. A
 * key spelled with escapes ("t\u0061bles") is not recognised, so its arrays
 * stay in the header and are parsed with it: correct, only not streamed.
 */
export interface ScannedRow {
  /** Position of the table in `tables`. */
  table: number;
  text: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
/** Stack depth inside a data array: the document, tables, a table, its data. */
const ROW_DEPTH = 4;

interface Frame {
  array: boolean;
  /** Objects: the last key read (raw), and whether a key comes next. */
  key?: string;
  expectingKey: boolean;
  /** Arrays: elements begun (for `tables`: which table an object is). */
  elements: number;
}

export class JsonRowsScanner {
  private readonly stack: Frame[] = [];
  private readonly header: string[] = [];
  private inString = false;
  private escaped = false;
  private keyParts: string[] | undefined;
  /** Inside a data array: its table, the current element's pieces and whether a comma was seen. */
  private rows: { table: number; parts: string[]; commas: number } | undefined;
  private tablesSeen = false;
  private readonly streamed = new Set<number>();

  /** Tables whose data array was streamed out (rather than kept in the header). */
  get streamedTables(): ReadonlySet<number> {
    return this.streamed;
  }

  /** The header's text, every streamed data array empty. */
  headerText(): string {
    return this.header.join('');
  }

  /** Throws an Error whose message is the caller's 400 for a structure it will not guess at (a second "tables"). */
  push(piece: string, emit: (row: ScannedRow) => void): void {
    const length = piece.length;
    let copied = 0;
    let start = 0;
    for (let at = 0; at < length; at += 1) {
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
          continue;
        }
        let end = at;
        let code = 0;
        while (end < length) {
          code = piece.charCodeAt(end);
          if (code === QUOTE || code === BACKSLASH) break;
          end += 1;
        }
        if (end === length) {
          this.keyParts?.push(piece.slice(at));
          break;
        }
        if (code === BACKSLASH) {
          this.keyParts?.push(piece.slice(at, end + 1));
          this.escaped = true;
          at = end;
          continue;
        }
        this.keyParts?.push(piece.slice(at, end));
        this.inString = false;
        at = end;
        if (this.keyParts) {
          this.stack.at(-1)!.key = this.keyParts.join('');
          this.keyParts = undefined;
        }
        continue;
      }
      const code = piece.charCodeAt(at);
      if (code <= 0x20) continue;
      const frame = this.stack.at(-1);
      const inRows = this.rows !== undefined && this.stack.length === ROW_DEPTH;
      if (code === QUOTE) {
        this.inString = true;
        if (frame && !frame.array && frame.expectingKey && this.stack.length < ROW_DEPTH) this.keyParts = [];
        if (frame?.array) this.beginElement(frame);
        continue;
      }
      if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
        if (frame?.array) this.beginElement(frame);
        if (code === OPEN_ARRAY && this.entersData()) {
          const table = this.stack[1]!.elements - 1;
          if (this.streamed.has(table)) throw new Error(`tables[${table}] has "data" twice`);
          this.streamed.add(table);
          this.stack.push({ array: true, expectingKey: false, elements: 0 });
          // The bracket stays in the header (as an empty array); the elements go out as rows.
          this.header.push(piece.slice(copied, at + 1));
          this.rows = { table, parts: [], commas: 0 };
          start = at + 1;
          continue;
        }
        if (code === OPEN_ARRAY && this.stack.length === 1 && this.stack[0]!.key === 'tables') {
          if (this.tablesSeen) throw new Error('the snapshot has "tables" twice');
          this.tablesSeen = true;
        }
        this.stack.push({ array: code === OPEN_ARRAY, expectingKey: code === OPEN_OBJECT, elements: 0 });
        continue;
      }
      if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
        if (inRows) {
          this.endElement(piece.slice(start, at), emit, true);
          this.rows = undefined;
          copied = at;
        }
        this.stack.pop();
        continue;
      }
      if (code === COMMA) {
        if (inRows) {
          this.rows!.commas += 1;
          this.endElement(piece.slice(start, at), emit, false);
          start = at + 1;
        } else if (frame) frame.expectingKey = !frame.array;
        continue;
      }
      if (code === COLON) {
        if (frame && !frame.array) frame.expectingKey = false;
        continue;
      }
      // A number, true, false or null.
      if (frame?.array) this.beginElement(frame);
    }
    if (this.rows) this.rows.parts.push(piece.slice(start));
    else this.header.push(piece.slice(copied));
  }

  /** `[` of `tables[i].data`: the stack is the document (key tables), the tables array, a table's object (key data). */
  private entersData(): boolean {
    if (this.stack.length !== 3) return false;
    const [document, tables, table] = this.stack as [Frame, Frame, Frame];
    return !document.array && document.key === 'tables' && tables.array && !table.array && table.key === 'data';
  }

  /** Counts an array's elements once each (at their first character). */
  private beginElement(frame: Frame): void {
    if (frame.expectingKey) return;
    frame.elements += 1;
    // Until the next comma, further characters belong to the same element.
    frame.expectingKey = true;
  }

  private endElement(tail: string, emit: (row: ScannedRow) => void, last: boolean): void {
    const rows = this.rows!;
    rows.parts.push(tail);
    const text = rows.parts.join('');
    rows.parts = [];
    this.stack[ROW_DEPTH - 1]!.expectingKey = false;
    // `[]` holds no row; `[,` and `[1,]` leave an element out, which JSON.parse then refuses.
    if (last && rows.commas === 0 && text.trim() === '') return;
    emit({ table: rows.table, text });
  }
}

/** The one CSV module: safe whatever separator a spreadsheet splits on, money to the cent. */
import { describe, expect, it } from 'vitest';
import { csvField, csvLine, csvMoney, scanCsv, toCsv } from '../../src/lib/csv';

describe('csvField', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['a;b', '"a;b"'],
    ['a\tb', '"a\tb"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['cr\rhere', '"cr\rhere"'],
    [' leading', '" leading"'],
    ['trailing ', '"trailing "'],
    ['inner space', 'inner space'],
    ['=SUM(A1)', "'=SUM(A1)"],
    ['+49 30 1234', "'+49 30 1234"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\t=1', '"\'\t=1"'],
    ['\r=1', '"\'\r=1"'],
    ['x;=HYPERLINK("http://evil.example")', '"x;=HYPERLINK(""http://evil.example"")"'],
    ['=1;=2', `"'=1;=2"`],
    ['Frühjahrsputz, "Deluxe"', '"Frühjahrsputz, ""Deluxe"""'],
    ['', ''],
  ])('%j → %s', (input, expected) => {
    expect(csvField(input)).toBe(expected);
  });

  it('writes numbers, booleans and empty values as they are', () => {
    expect(csvField(-1.5)).toBe('-1.5');
    expect(csvField(0)).toBe('0');
    expect(csvField(true)).toBe('true');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
  });

  it('leaves no cell that starts with a formula character, whether a reader splits on ; or ,', () => {
    const line = csvLine(['a;=1+1', 'b,@x', '-3;+4', 'ok']);
    expect(line).toBe(`"a;=1+1","b,@x","'-3;+4",ok\r\n`);
    expect(readCells(line, ',')).toEqual(['a;=1+1', 'b,@x', "'-3;+4", 'ok']);
    // A German spreadsheet splits on ; — and still sees each quoted field as one cell.
    expect(readCells(line, ';')).toEqual(["a;=1+1,b,@x,'-3;+4,ok"]);
    for (const separator of [',', ';']) for (const cell of readCells(line, separator)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});

/** An RFC 4180 reader of one record with the given separator (what a spreadsheet does). */
function readCells(line: string, separator: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  const text = line.replace(/\r\n$/, '');
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === separator) cells.push(cell), (cell = '');
    else cell += ch;
  }
  cells.push(cell);
  return cells;
}

describe('money in CSV', () => {
  it('writes money columns to the cent and leaves other columns alone', () => {
    expect(csvMoney(5746.817827)).toBe('5746.82');
    expect(csvMoney(20)).toBe('20.00');
    expect(csvMoney(null)).toBe(null);
    // A refund or a rounding residue is a number to a spreadsheet, not a formula: no neutralising quote, no "-0.00".
    expect(csvField(csvMoney(-12.5))).toBe('-12.50');
    expect(csvField(csvMoney(-0.001))).toBe('0.00');
    expect(csvField('-1+1')).toBe("'-1+1");
    const rows = [
      { channel: 'email', revenue: 5746.817827, share: 0.333333, currency: 'EUR' },
      { channel: 'direct', revenue: 0.005, share: 1, currency: null },
    ];
    expect(toCsv(['channel', 'revenue', 'currency', 'share'], rows, ['revenue'])).toBe(
      'channel,revenue,currency,share\r\nemail,5746.82,EUR,0.333333\r\ndirect,0.01,,1\r\n',
    );
  });
});

describe('scanCsv', () => {
  it('reads a BOM, CRLF, quoted separators, doubled quotes and line breaks inside quotes', () => {
    expect(scanCsv('\uFEFFa,b\r\n"x,1","say ""hi""\r\nbye"\r\n\r\n"",last\r\n')).toEqual({
      records: [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['x,1', 'say "hi"\r\nbye'] },
        { line: 5, fields: ['', 'last'] },
      ],
      problem: null,
    });
  });

  it('reads what it writes', () => {
    const values = ['plain', 'a,b', 'say "hi"', 'line\nbreak', ' edge ', ''];
    expect(scanCsv(csvLine(values) + csvLine(['x'])).records.map((record) => record.fields)).toEqual([values, ['x']]);
  });

  it.each([
    ['a,"b\nc', 'line 1: a quoted field is never closed'],
    ['a\n"b"c,d', 'line 2: text after a closing quote (a quote inside a field is written "")'],
    ['a\nb"c,d', 'line 2: a quote inside an unquoted field (quote the field and write "")'],
  ])('reports %j as not RFC 4180', (text, problem) => {
    expect(scanCsv(text).problem).toBe(problem);
  });
});

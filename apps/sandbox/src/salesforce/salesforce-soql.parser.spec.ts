import { formatSoqlError, parseSoql, SoqlError } from './salesforce-soql.parser';

function errorOf(soql: string): SoqlError {
  try {
    parseSoql(soql);
  } catch (error) {
    if (error instanceof SoqlError) return error;
    throw error;
  }
  throw new Error(`expected ${soql} to fail`);
}

describe('parseSoql', () => {
  it('parses the incremental-sync query shape', () => {
    const q = parseSoql(
      'SELECT Id, SystemModstamp FROM Lead WHERE SystemModstamp > 2024-01-01T00:00:00Z ORDER BY SystemModstamp, Id DESC LIMIT 10',
    );
    expect(q.fields.map((f) => f.name)).toEqual(['Id', 'SystemModstamp']);
    expect(q.from.name).toBe('Lead');
    expect(q.where).toEqual({
      kind: 'compare',
      field: 'SystemModstamp',
      column: 43,
      op: '>',
      value: { kind: 'datetime', value: Date.UTC(2024, 0, 1), text: '2024-01-01T00:00:00Z' },
    });
    expect(q.orderBy).toEqual([
      { field: 'SystemModstamp', column: 90, descending: false, nullsLast: false },
      { field: 'Id', column: 106, descending: true, nullsLast: true },
    ]);
    expect(q.limit).toBe(10);
  });

  it('reads datetimes with milliseconds and ±hh:mm offsets, and all literal kinds', () => {
    const q = parseSoql(
      "select id from lead where (a >= 2024-05-07T22:07:19.250+02:00 or b = 'O\\'Brien') and c != null and d = TRUE and e < -1.5 and f = 2024-05-07 and g IN ('x', 'y') and h NOT IN (1, 2) and i LIKE 'Acme%'",
    );
    expect(q.where?.kind).toBe('and');
    const and = q.where as { kind: 'and'; items: Array<Record<string, unknown>> };
    const or = and.items[0] as { items: Array<{ value: unknown }> };
    expect(or.items[0].value).toEqual({
      kind: 'datetime',
      value: Date.UTC(2024, 4, 7, 20, 7, 19, 250),
      text: '2024-05-07T22:07:19.250+02:00',
    });
    expect(or.items[1].value).toEqual({ kind: 'string', value: "O'Brien" });
    expect(and.items[1]).toMatchObject({ op: '!=', value: { kind: 'null' } });
    expect(and.items[2]).toMatchObject({ value: { kind: 'boolean', value: true } });
    expect(and.items[3]).toMatchObject({ op: '<', value: { kind: 'number', value: -1.5 } });
    expect(and.items[4]).toMatchObject({ value: { kind: 'date', value: '2024-05-07' } });
    expect(and.items[5]).toMatchObject({
      kind: 'in',
      negated: false,
      values: [
        { kind: 'string', value: 'x' },
        { kind: 'string', value: 'y' },
      ],
    });
    expect(and.items[6]).toMatchObject({ kind: 'in', negated: true });
    expect(and.items[7]).toMatchObject({ kind: 'like', pattern: 'Acme%' });
  });

  it('parses NOT, nested parentheses, COUNT() and OFFSET', () => {
    const q = parseSoql(
      "SELECT COUNT() FROM Case WHERE NOT (IsEscalated = true OR (Priority = 'High' AND Status != 'Closed')) LIMIT 5 OFFSET 2",
    );
    expect(q.count).toBe(true);
    expect(q.where?.kind).toBe('not');
    expect(q.offset).toBe(2);
  });

  it.each([
    ['SELECT Id FRM Lead', 11, "unexpected token: 'FRM'"],
    ['SELECT FROM Lead', 8, "unexpected token: 'FROM'"],
    ['SELECT Id FROM Lead WHERE', 26, "unexpected token: '<EOF>'"],
    ['SELECT Id FROM Lead WHERE a = 1 AND b = 2 OR c = 3', 43, 'use parentheses when mixing AND and OR'],
    ["SELECT Id FROM Lead WHERE Name = 'open", 34, 'unterminated string literal'],
    ['SELECT Id FROM Lead LIMIT -1', 27, "unexpected token: '-1'"],
    ['SELECT Id, id FROM Lead', 12, 'duplicate field selected: id'],
    ['SELECT Id FROM Lead WHERE CreatedDate > TODAY', 41, 'date literals such as TODAY'],
    ['SELECT Id FROM Lead WHERE (a = 1', 33, "unexpected token: '<EOF>' (expected )"],
    ['SELECT Owner.Name FROM Lead', 8, 'relationship field'],
    ['SELECT Id FROM Lead ORDER BY', 29, "unexpected token: '<EOF>'"],
    ['SELECT Id FROM Lead extra', 21, "unexpected token: 'extra'"],
    ['SELECT Id FROM Lead WHERE a = 2024-13-45T00:00:00Z', 31, 'invalid datetime'],
  ])('rejects %s at column %i', (soql, column, message) => {
    const error = errorOf(soql);
    expect(error.errorCode).toBe('MALFORMED_QUERY');
    expect(error.column).toBe(column);
    expect(error.message).toContain(message);
  });

  it('formats errors like the platform: query, caret, row and column', () => {
    const soql = 'SELECT Id FRM Lead';
    expect(formatSoqlError(soql, errorOf(soql))).toBe(
      "\nSELECT Id FRM Lead\n          ^\nERROR at Row:1:Column:11\nunexpected token: 'FRM' (expected FROM)",
    );
  });
});

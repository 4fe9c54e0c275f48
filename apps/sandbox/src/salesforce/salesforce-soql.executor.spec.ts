import { toSalesforceDateTime } from './salesforce-datetime';
import { salesforceId } from './salesforce-ids';
import { salesforceLeadFields } from './salesforce-schema';
import { executeSoql } from './salesforce-soql.executor';
import { parseSoql } from './salesforce-soql.parser';
import { SalesforceStore, SalesforceTable, type SalesforceRecord } from './salesforce-store';

const USER = salesforceId('005', 1);

function run(table: SalesforceTable, soql: string, includeDeleted = false): string[] {
  return executeSoql(parseSoql(soql), table, () => true, { includeDeleted }).rows.map((r) => r.Id);
}

/** What the index must reproduce: filter, then sort by (SystemModstamp, Id). */
function reference(table: SalesforceTable, keep: (r: SalesforceRecord) => boolean, limit = Infinity): string[] {
  return table.records
    .filter((r) => !r.IsDeleted && keep(r))
    .sort((a, b) =>
      (a.SystemModstamp as string) < (b.SystemModstamp as string) ? -1 : a.SystemModstamp! > b.SystemModstamp! ? 1 : a.Id < b.Id ? -1 : 1,
    )
    .slice(0, limit)
    .map((r) => r.Id);
}

describe('executeSoql over the (SystemModstamp, Id) index', () => {
  it('matches a full filter-and-sort after bulk loads, shuffled collection updates, deletes and compaction', () => {
    const store = new SalesforceStore();
    const table = store.addTable(new SalesforceTable('Lead', 'Lead', '00Q', salesforceLeadFields()));
    // A bulk load with historic, colliding stamps (every 7 records share one).
    const base = Date.UTC(2024, 0, 1);
    const loaded: SalesforceRecord[] = [];
    for (let i = 0; i < 3000; i++) {
      loaded.push({
        Id: salesforceId('00Q', i + 1),
        IsDeleted: false,
        LastName: `L${i}`,
        Company: 'C',
        Title: null,
        SystemModstamp: toSalesforceDateTime(base + Math.floor(i / 7) * 1000),
      });
    }
    // Out of order on purpose: the index must not rely on insertion order.
    table.load(loaded.reverse(), 3000);
    expect(run(table, 'SELECT Id FROM Lead ORDER BY SystemModstamp, Id LIMIT 50')).toEqual(reference(table, () => true, 50));

    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let round = 0; round < 40; round++) {
      const ids = Array.from({ length: 150 }, () => salesforceId('00Q', 1 + Math.floor(random() * 3000)));
      const unique = [...new Set(ids)];
      store.applyUpdates(
        table,
        unique.map((id) => ({ id, changes: { Title: `r${round}` } })),
        USER,
      );
      if (round % 5 === 0) store.softDelete(table, unique[0], USER);
    }
    const cut = table.records[100].SystemModstamp as string;
    const cutLiteral = cut.replace('+0000', 'Z');
    const keysetId = table.records[100].Id;
    expect(run(table, 'SELECT Id FROM Lead ORDER BY SystemModstamp, Id')).toEqual(reference(table, () => true));
    expect(run(table, `SELECT Id FROM Lead WHERE SystemModstamp >= ${cutLiteral} ORDER BY SystemModstamp, Id LIMIT 200`)).toEqual(
      reference(table, (r) => (r.SystemModstamp as string) >= cut, 200),
    );
    expect(
      run(
        table,
        `SELECT Id FROM Lead WHERE (SystemModstamp > ${cutLiteral} OR (SystemModstamp = ${cutLiteral} AND Id > '${keysetId}')) ORDER BY SystemModstamp, Id LIMIT 300`,
      ),
    ).toEqual(reference(table, (r) => (r.SystemModstamp as string) > cut || (r.SystemModstamp === cut && r.Id > keysetId), 300));
    expect(run(table, "SELECT Id FROM Lead WHERE Title = 'r39' ORDER BY SystemModstamp LIMIT 5 OFFSET 2")).toEqual(
      reference(table, (r) => r.Title === 'r39', 7).slice(2),
    );
    // queryAll sees the deleted rows at their delete stamp.
    const all = run(table, 'SELECT Id FROM Lead ORDER BY SystemModstamp, Id', true);
    expect(all).toHaveLength(3000);
    expect(new Set(all).size).toBe(3000);
  });

  it('still sorts other orders in full (DESC, other fields)', () => {
    const store = new SalesforceStore();
    const table = store.addTable(new SalesforceTable('Lead', 'Lead', '00Q', salesforceLeadFields()));
    for (const [name, employees] of [
      ['a', 5],
      ['b', 50],
      ['c', null],
      ['d', 7],
    ] as const)
      store.insert(table, { LastName: name, Company: 'C', NumberOfEmployees: employees }, USER);
    const rows = executeSoql(parseSoql('SELECT LastName FROM Lead ORDER BY NumberOfEmployees DESC'), table, () => true, {
      includeDeleted: false,
    }).rows;
    expect(rows.map((r) => r.LastName)).toEqual(['b', 'd', 'a', 'c']);
    const asc = executeSoql(parseSoql('SELECT LastName FROM Lead ORDER BY NumberOfEmployees NULLS LAST'), table, () => true, {
      includeDeleted: false,
    }).rows;
    expect(asc.map((r) => r.LastName)).toEqual(['a', 'd', 'b', 'c']);
  });
});

import { isAfterCursor } from './compound-cursor';
import { compareExternalIds, isAfterCursorNumericIds } from './cursor-id-order';

describe('numeric-aware cursor id order', () => {
  it('orders digit-string ids as integers, exactly beyond 2^53, and other ids as strings', () => {
    expect(compareExternalIds('999', '1000')).toBeLessThan(0);
    expect(compareExternalIds('1000', '999')).toBeGreaterThan(0);
    expect(compareExternalIds('0042', '42')).toBe(0);
    expect(compareExternalIds('90071992547409931', '90071992547409930')).toBeGreaterThan(0);
    expect(compareExternalIds('00Q5g00000AbCdE', '00Q5g00000AbCdF')).toBeLessThan(0);
  });

  it('keeps record 1000 after a cursor at 999 with the same modstamp, where the string order would drop it', () => {
    const cursor = { modstamp: '2026-01-01T00:00:00.000Z', id: '999' };
    const record = { modstamp: '2026-01-01T00:00:00.000Z', externalId: '1000' };
    expect(isAfterCursor(record, cursor)).toBe(false);
    expect(isAfterCursorNumericIds(record, cursor)).toBe(true);
    expect(isAfterCursorNumericIds({ ...record, externalId: '998' }, cursor)).toBe(false);
    expect(isAfterCursorNumericIds({ ...record, modstamp: '2026-01-01T00:00:00.001Z', externalId: '1' }, cursor)).toBe(true);
    expect(isAfterCursorNumericIds(record, null)).toBe(true);
  });
});

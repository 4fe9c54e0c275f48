/**
 * Salesforce record ids: a 3-character key prefix (00Q Lead, 500 Case, 005 User, 00D org, 00N custom
 * field, 0PS permission set, 01k field permissions, 0Pa assignment, 04l notification), an instance/pod
 * part and a counter, plus the 3-character case-safe checksum that turns a 15-character id into 18.
 * Generated ids use only digits and capitals, so byte order and case-insensitive order agree and a
 * connector's tie-break on Id sorts exactly as `ORDER BY Id` does here.
 */
const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const COUNTER_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ID15 = /^[a-zA-Z0-9]{15}$/;
const ID18 = /^[a-zA-Z0-9]{18}$/;

/** The 3-character suffix that makes a 15-character id case-insensitively unique. */
export function salesforceIdChecksum(id15: string): string {
  let suffix = '';
  for (let block = 0; block < 3; block++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(block * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += CHECKSUM_ALPHABET[bits];
  }
  return suffix;
}

/** Deterministic 18-character id for the n-th record of a key prefix (`00Q`, `500`, ...). */
export function salesforceId(prefix: string, n: number, pod = '5G'): string {
  let counter = '';
  let rest = n;
  for (let i = 0; i < 10; i++) {
    counter = COUNTER_ALPHABET[rest % 36] + counter;
    rest = Math.floor(rest / 36);
  }
  const id15 = `${prefix}${pod}${counter}`;
  return id15 + salesforceIdChecksum(id15);
}

/** Accepts 15- or 18-character ids (Salesforce does) and returns the 18-character form, or undefined when the shape is wrong. */
export function normalizeSalesforceId(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  if (ID18.test(raw)) {
    const id15 = raw.slice(0, 15);
    // The checksum encodes the case of the first 15 characters, so fix the case from it like the platform does.
    return id15 + salesforceIdChecksum(id15) === raw ? raw : undefined;
  }
  if (ID15.test(raw)) return raw + salesforceIdChecksum(raw);
  return undefined;
}

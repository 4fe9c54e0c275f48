/**
 * The SOQL subset the sandbox understands: SELECT field list (or COUNT()), FROM one sObject, WHERE with
 * AND / OR / NOT and parentheses, comparisons (= != <> < <= > >=), IN / NOT IN, LIKE, ORDER BY several
 * fields ASC / DESC [NULLS FIRST | LAST], LIMIT, OFFSET. Literals: 'strings', numbers, TRUE / FALSE,
 * NULL, unquoted datetimes (2024-01-01T00:00:00Z, .000Z, ±hh:mm) and dates.
 * Like the platform, AND and OR cannot be mixed at one level without parentheses.
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select.htm
 */
import { isSalesforceDate, parseSalesforceDateTime } from './salesforce-datetime';

export type SoqlValue =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'datetime'; value: number; text: string }
  | { kind: 'date'; value: string };

export type SoqlComparison = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type SoqlCondition =
  | { kind: 'and' | 'or'; items: SoqlCondition[] }
  | { kind: 'not'; item: SoqlCondition }
  | { kind: 'compare'; field: string; column: number; op: SoqlComparison; value: SoqlValue }
  | { kind: 'in'; field: string; column: number; negated: boolean; values: SoqlValue[] }
  | { kind: 'like'; field: string; column: number; pattern: string };

export interface SoqlOrderItem {
  field: string;
  column: number;
  descending: boolean;
  nullsLast: boolean;
}

export interface SoqlQuery {
  /** Field names as written (case preserved); empty with `count` true for SELECT COUNT(). */
  fields: Array<{ name: string; column: number }>;
  count: boolean;
  from: { name: string; column: number };
  where?: SoqlCondition;
  orderBy: SoqlOrderItem[];
  limit?: number;
  offset?: number;
}

/** A SOQL problem with the 1-based column the platform points its caret at. */
export class SoqlError extends Error {
  constructor(
    message: string,
    readonly column: number,
    readonly errorCode = 'MALFORMED_QUERY',
  ) {
    super(message);
    this.name = 'SoqlError';
  }
}

/** The platform's message layout: the query, a caret under the problem, then "ERROR at Row:1:Column:N". */
export function formatSoqlError(soql: string, error: SoqlError): string {
  const line = soql.replace(/\s+/g, ' ');
  return `\n${line}\n${' '.repeat(Math.max(0, error.column - 1))}^\nERROR at Row:1:Column:${error.column}\n${error.message}`;
}

type TokenKind = 'ident' | 'string' | 'number' | 'datetime' | 'date' | 'op' | 'punct' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  /** 1-based column. */
  column: number;
  value?: string | number;
}

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\dT])/;
const NUMBER = /^-?\d+(\.\d+)?(?![\w.])/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_.]*/;

function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < soql.length) {
    const c = soql[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = soql.slice(i);
    const column = i + 1;
    if (c === "'") {
      let value = '';
      let j = i + 1;
      for (; j < soql.length && soql[j] !== "'"; j++) {
        if (soql[j] === '\\') {
          const next = soql[++j];
          if (next === undefined) break;
          value += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : next;
        } else {
          value += soql[j];
        }
      }
      if (j >= soql.length) throw new SoqlError('unexpected token: unterminated string literal', column);
      tokens.push({ kind: 'string', text: soql.slice(i, j + 1), column, value });
      i = j + 1;
      continue;
    }
    let m: RegExpExecArray | null;
    if ((m = DATETIME.exec(rest))) {
      tokens.push({ kind: 'datetime', text: m[0], column });
      i += m[0].length;
      continue;
    }
    if ((m = DATE.exec(rest))) {
      tokens.push({ kind: 'date', text: m[0], column });
      i += m[0].length;
      continue;
    }
    if ((m = NUMBER.exec(rest))) {
      tokens.push({ kind: 'number', text: m[0], column, value: Number(m[0]) });
      i += m[0].length;
      continue;
    }
    if ((m = IDENT.exec(rest))) {
      tokens.push({ kind: 'ident', text: m[0], column });
      i += m[0].length;
      continue;
    }
    const two = soql.slice(i, i + 2);
    if (two === '!=' || two === '<>' || two === '<=' || two === '>=') {
      tokens.push({ kind: 'op', text: two === '<>' ? '!=' : two, column });
      i += 2;
      continue;
    }
    if (c === '=' || c === '<' || c === '>') {
      tokens.push({ kind: 'op', text: c, column });
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: 'punct', text: c, column });
      i++;
      continue;
    }
    throw new SoqlError(`unexpected token: '${c}'`, column);
  }
  tokens.push({ kind: 'end', text: '<EOF>', column: soql.length + 1 });
  return tokens;
}

const RESERVED = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'IN',
  'LIKE',
  'ORDER',
  'BY',
  'LIMIT',
  'OFFSET',
  'ASC',
  'DESC',
  'NULLS',
  'NULL',
  'TRUE',
  'FALSE',
]);

class SoqlParser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): SoqlQuery {
    this.keyword('SELECT');
    const fields: SoqlQuery['fields'] = [];
    let count = false;
    if (this.isKeyword('COUNT') && this.peek(1).text === '(') {
      this.next();
      this.punct('(');
      this.punct(')');
      count = true;
    } else {
      do {
        const t = this.next();
        if (t.kind !== 'ident' || RESERVED.has(t.text.toUpperCase())) throw this.unexpected(t);
        if (t.text.includes('.'))
          throw new SoqlError(`relationship field '${t.text}' is not supported by the sandbox's SOQL subset`, t.column);
        if (this.peek().text === '(') throw new SoqlError(`function ${t.text}() is not supported by the sandbox's SOQL subset`, t.column);
        if (fields.some((f) => f.name.toLowerCase() === t.text.toLowerCase()))
          throw new SoqlError(`duplicate field selected: ${t.text}`, t.column);
        fields.push({ name: t.text, column: t.column });
      } while (this.acceptPunct(','));
    }
    this.keyword('FROM');
    const fromToken = this.next();
    if (fromToken.kind !== 'ident' || RESERVED.has(fromToken.text.toUpperCase())) throw this.unexpected(fromToken);
    const query: SoqlQuery = { fields, count, from: { name: fromToken.text, column: fromToken.column }, orderBy: [] };
    if (this.acceptKeyword('WHERE')) query.where = this.condition();
    if (this.acceptKeyword('ORDER')) {
      this.keyword('BY');
      do {
        const t = this.next();
        if (t.kind !== 'ident' || RESERVED.has(t.text.toUpperCase())) throw this.unexpected(t);
        let descending = false;
        if (this.acceptKeyword('DESC')) descending = true;
        else this.acceptKeyword('ASC');
        let nullsLast = descending;
        if (this.acceptKeyword('NULLS')) {
          if (this.acceptKeyword('LAST')) nullsLast = true;
          else {
            this.keyword('FIRST');
            nullsLast = false;
          }
        }
        query.orderBy.push({ field: t.text, column: t.column, descending, nullsLast });
      } while (this.acceptPunct(','));
    }
    if (this.acceptKeyword('LIMIT')) query.limit = this.nonNegativeInteger();
    if (this.acceptKeyword('OFFSET')) query.offset = this.nonNegativeInteger();
    const end = this.next();
    if (end.kind !== 'end') throw this.unexpected(end);
    return query;
  }

  /** OR of ANDs, where one level may not mix the two (the platform's rule). */
  private condition(): SoqlCondition {
    const first = this.unary();
    const items = [first];
    let joiner: 'and' | 'or' | undefined;
    while (this.isKeyword('AND') || this.isKeyword('OR')) {
      const t = this.next();
      const kind = t.text.toUpperCase() === 'AND' ? 'and' : 'or';
      if (joiner && joiner !== kind)
        throw new SoqlError(`unexpected token: '${t.text}' (use parentheses when mixing AND and OR)`, t.column);
      joiner = kind;
      items.push(this.unary());
    }
    return joiner ? { kind: joiner, items } : first;
  }

  private unary(): SoqlCondition {
    if (this.acceptKeyword('NOT')) return { kind: 'not', item: this.unary() };
    if (this.acceptPunct('(')) {
      const inner = this.condition();
      this.punct(')');
      return inner;
    }
    const t = this.next();
    if (t.kind !== 'ident' || RESERVED.has(t.text.toUpperCase())) throw this.unexpected(t);
    if (t.text.includes('.')) throw new SoqlError(`relationship field '${t.text}' is not supported by the sandbox's SOQL subset`, t.column);
    const negated = this.acceptKeyword('NOT');
    if (this.acceptKeyword('IN')) {
      this.punct('(');
      const values: SoqlValue[] = [];
      do values.push(this.value());
      while (this.acceptPunct(','));
      this.punct(')');
      return { kind: 'in', field: t.text, column: t.column, negated, values };
    }
    if (negated) throw this.unexpected(this.peek());
    if (this.acceptKeyword('LIKE')) {
      const p = this.next();
      if (p.kind !== 'string') throw new SoqlError(`LIKE expects a quoted string, got ${p.text}`, p.column);
      return { kind: 'like', field: t.text, column: t.column, pattern: p.value as string };
    }
    const op = this.next();
    if (op.kind !== 'op') throw this.unexpected(op);
    return { kind: 'compare', field: t.text, column: t.column, op: op.text as SoqlComparison, value: this.value() };
  }

  private value(): SoqlValue {
    const t = this.next();
    switch (t.kind) {
      case 'string':
        return { kind: 'string', value: t.value as string };
      case 'number':
        return { kind: 'number', value: t.value as number };
      case 'datetime': {
        const ms = parseSalesforceDateTime(t.text);
        if (ms === undefined)
          throw new SoqlError(`line 1:${t.column - 1} no viable alternative at character '${t.text}': invalid datetime`, t.column);
        return { kind: 'datetime', value: ms, text: t.text };
      }
      case 'date':
        if (!isSalesforceDate(t.text)) throw new SoqlError(`invalid date: ${t.text}`, t.column);
        return { kind: 'date', value: t.text };
      case 'ident': {
        const upper = t.text.toUpperCase();
        if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'boolean', value: upper === 'TRUE' };
        if (upper === 'NULL') return { kind: 'null' };
        throw new SoqlError(
          `unexpected token: '${t.text}' (date literals such as TODAY and bind variables are not supported by the sandbox)`,
          t.column,
        );
      }
      default:
        throw this.unexpected(t);
    }
  }

  private nonNegativeInteger(): number {
    const t = this.next();
    if (t.kind !== 'number' || !Number.isInteger(t.value) || (t.value as number) < 0) throw this.unexpected(t);
    return t.value as number;
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t.kind === 'ident' && t.text.toUpperCase() === word;
  }

  private acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.next();
    return true;
  }

  private keyword(word: string): void {
    const t = this.next();
    if (t.kind !== 'ident' || t.text.toUpperCase() !== word) throw this.unexpected(t, word);
  }

  private acceptPunct(p: string): boolean {
    if (this.peek().text !== p || this.peek().kind !== 'punct') return false;
    this.next();
    return true;
  }

  private punct(p: string): void {
    const t = this.next();
    if (t.kind !== 'punct' || t.text !== p) throw this.unexpected(t, p);
  }

  private unexpected(t: Token, expected?: string): SoqlError {
    return new SoqlError(`unexpected token: '${t.text}'${expected ? ` (expected ${expected})` : ''}`, t.column);
  }
}

export function parseSoql(soql: string): SoqlQuery {
  return new SoqlParser(tokenize(soql)).parse();
}

import type { EntityManager } from 'typeorm';

export type Queryable = Pick<EntityManager, 'query'>;

/**
 * The rows of a raw query. TypeORM's PostgreSQL driver answers UPDATE and DELETE with
 * `[rows, rowCount]` but SELECT and INSERT with the rows alone; callers should not have to care.
 */
export async function queryRows<T>(db: Queryable, sql: string, params: unknown[]): Promise<T[]> {
  const result = (await db.query(sql, params)) as unknown;
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}

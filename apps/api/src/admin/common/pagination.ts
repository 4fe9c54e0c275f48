/** Server-side pagination of every admin list: `?page=&pageSize=`, answered with the total. */
import { z } from 'zod';
import { parseInput } from './zod-validation';

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export const paginationSchema = z.object({
  page: z.coerce
    .number({ message: 'expected a page number (1, 2, …)' })
    .int('expected a whole number')
    .min(1, 'expected 1 or more')
    .default(1),
  pageSize: z.coerce
    .number({ message: 'expected a page size between 1 and 200' })
    .int('expected a whole number')
    .min(1, 'expected a page size between 1 and 200')
    .max(200, 'expected a page size between 1 and 200')
    .default(25),
});

export interface PageRequest {
  page: number;
  pageSize: number;
  skip: number;
}

export function pageRequest(query: Record<string, unknown>): PageRequest {
  const { page, pageSize } = parseInput(paginationSchema, { page: query['page'], pageSize: query['pageSize'] });
  return { page, pageSize, skip: (page - 1) * pageSize };
}

export function pageOf<T>(items: T[], total: number, request: PageRequest): Page<T> {
  return { items, total, page: request.page, pageSize: request.pageSize };
}

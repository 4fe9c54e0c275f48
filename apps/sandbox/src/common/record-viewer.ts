/**
 * The record viewer page served at GET / on each sandbox: list and open records the way the CRM shows
 * them, with the fields Fieldcast writes back highlighted, so one can see what a CRM user sees.
 * Each vendor sandbox describes its objects with a RecordViewerSource and calls mountRecordViewer.
 */
import type { SandboxRequest, SandboxResponse, SandboxRouter } from './sandbox-http';
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  renderListPage,
  renderNotFoundPage,
  renderRecordPage,
  type ListQuery,
} from './record-viewer.page';

export interface RecordViewerObject {
  /** URL-safe object name: `Lead`, `Case`, `contacts`, `tickets`. */
  name: string;
  label: string;
  /** Columns shown in the list (vendor field names). */
  columns: string[];
  /** Field used as the record's title. */
  titleField: string;
  /** True for fields Fieldcast writes (highlighted). */
  isFieldcastField(field: string): boolean;
  list(offset: number, limit: number, search?: string): { total: number; rows: Array<{ id: string; fields: Record<string, unknown> }> };
  get(id: string): { id: string; fields: Record<string, unknown> } | undefined;
}

export interface RecordViewerSource {
  vendorLabel: string;
  objects: RecordViewerObject[];
}

/** Adds GET / and GET /view/:object[/:id] HTML pages to the vendor router (implementation: record-viewer.page.ts). */
export function mountRecordViewer(router: SandboxRouter, source: RecordViewerSource): void {
  const find = (name: string | null | undefined) => source.objects.find((o) => o.name === name);
  const list = (object: RecordViewerObject | undefined, request: SandboxRequest): SandboxResponse => {
    if (!object)
      return html(
        404,
        renderNotFoundPage(source, `There is no object named "${request.params.object ?? request.query.get('object') ?? ''}".`),
      );
    const query = parseListQuery(request.query);
    if (typeof query === 'string') return html(400, renderNotFoundPage(source, query, object.name));
    return html(200, renderListPage(source, object, query));
  };
  router.add('GET', '/', (request) => {
    const requested = request.query.get('object');
    return list(requested ? find(requested) : source.objects[0], request);
  });
  router.add('GET', '/view/:object', (request) => list(find(request.params.object), request));
  router.add('GET', '/view/:object/:id', (request) => {
    const object = find(request.params.object);
    if (!object) return html(404, renderNotFoundPage(source, `There is no object named "${request.params.object}".`));
    const record = object.get(request.params.id ?? '');
    if (!record) return html(404, renderNotFoundPage(source, `${object.label}: no record with id "${request.params.id}".`, object.name));
    return html(200, renderRecordPage(source, object, record));
  });
}

function html(status: number, body: string): SandboxResponse {
  // no-store: the page shows live sandbox state that changes with every write-back. The CSP is a second
  // line behind the escaping: no script can run on the page even if a value slipped through.
  return {
    status,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'",
      'X-Content-Type-Options': 'nosniff',
    },
    body,
  };
}

/** Returns the list query, or a message saying which parameter is wrong and what is allowed. */
function parseListQuery(query: URLSearchParams): ListQuery | string {
  const page = positiveInt(query.get('page'), 1);
  const size = positiveInt(query.get('size'), DEFAULT_PAGE_SIZE);
  if (page === undefined) return `page must be a whole number >= 1, got "${query.get('page')}".`;
  if (size === undefined || size > MAX_PAGE_SIZE)
    return `size must be a whole number from 1 to ${MAX_PAGE_SIZE}, got "${query.get('size')}".`;
  return { page, size, search: (query.get('q') ?? '').trim() };
}

function positiveInt(raw: string | null, fallback: number): number | undefined {
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 1 ? n : undefined;
}

/**
 * The record viewer pages: an object's list (tabs, search, pages, Fieldcast fields as badges) and a
 * record page shaped like a CRM record page, with the fields Fieldcast writes back in their own
 * section, so a demo shows what a CRM user would see after a write-back.
 */
import { asPercent, displayValue, escapeHtml, fieldLabel, href, pageShell, reasonList } from './record-viewer.html';
import type { RecordViewerObject, RecordViewerSource } from './record-viewer';

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 200;

export interface ListQuery {
  page: number;
  size: number;
  search: string;
}

type Row = { id: string; fields: Record<string, unknown> };

export function viewPath(object: RecordViewerObject, id?: string): string {
  const base = `/view/${encodeURIComponent(object.name)}`;
  return id === undefined ? base : `${base}/${encodeURIComponent(id)}`;
}

function tabs(source: RecordViewerSource, active: string | undefined): string {
  const links = source.objects.map((o) => {
    const total = o.list(0, 0).total;
    const cls = o.name === active ? ' class="active"' : '';
    return `<a${cls} href="${escapeHtml(viewPath(o))}">${escapeHtml(o.label)}<small>${total.toLocaleString('en-US')}</small></a>`;
  });
  return `<nav class="tabs">${links.join('')}</nav>`;
}

function fieldcastFieldsOf(object: RecordViewerObject, fields: Record<string, unknown>): string[] {
  return Object.keys(fields).filter((f) => object.isFieldcastField(f));
}

function badges(object: RecordViewerObject, fields: Record<string, unknown>): string {
  // Short values only (score, category, confidence); reasons and model version belong on the record page.
  const present = fieldcastFieldsOf(object, fields).filter(
    (f) => fieldcastRole(f) < 2 && !object.columns.includes(f) && displayValue(fields[f]) !== '—',
  );
  if (!present.length) return '<span class="empty">—</span>';
  return present
    .map((f) => `<span class="badge" title="${escapeHtml(f)}">${escapeHtml(fieldLabel(f))}: ${escapeHtml(displayValue(fields[f]))}</span>`)
    .join('');
}

export function renderListPage(source: RecordViewerSource, object: RecordViewerObject, query: ListQuery): string {
  const offset = (query.page - 1) * query.size;
  const { total, rows } = object.list(offset, query.size, query.search || undefined);
  const lastPage = Math.max(1, Math.ceil(total / query.size));
  const columns = object.columns;
  const head = columns
    .map((c) =>
      object.isFieldcastField(c)
        ? `<th class="fc" title="${escapeHtml(c)}">${escapeHtml(fieldLabel(c))}</th>`
        : `<th>${escapeHtml(c)}</th>`,
    )
    .join('');
  const body = rows
    .map((row) => {
      const link = escapeHtml(viewPath(object, row.id));
      const cells = columns.map((c, i) => {
        const value = displayValue(row.fields[c]);
        const text = escapeHtml(value);
        if (object.isFieldcastField(c)) {
          return `<td class="fc">${value === '—' ? '<span class="empty">—</span>' : `<span class="badge">${text}</span>`}</td>`;
        }
        // The title field (or the first column) links to the record, as list views do in a CRM.
        const isLink = c === object.titleField || (i === 0 && !columns.includes(object.titleField));
        // The span truncates long values (table cells ignore max-width); the title keeps the full text.
        return `<td title="${text}"><span class="cell">${isLink ? `<a href="${link}">${text}</a>` : text}</span></td>`;
      });
      return `<tr>${cells.join('')}<td class="fc">${badges(object, row.fields)}</td></tr>`;
    })
    .join('');
  const empty = rows.length
    ? ''
    : `<p class="note">${query.search ? `No ${escapeHtml(object.label)} match “${escapeHtml(query.search)}”.` : `No ${escapeHtml(object.label)} yet: seed the sandbox (POST /__sandbox/seed).`}</p>`;
  const pageLink = (page: number, text: string) =>
    page < 1 || page > lastPage || page === query.page
      ? `<span class="off">${text}</span>`
      : `<a href="${escapeHtml(href(viewPath(object), { q: query.search, page, size: query.size === DEFAULT_PAGE_SIZE ? undefined : query.size }))}">${text}</a>`;
  const from = total === 0 ? 0 : Math.min(offset + 1, total);
  const to = Math.min(offset + rows.length, total);
  const content = `
<form class="search" method="get" action="${escapeHtml(viewPath(object))}" role="search">
<input type="search" name="q" value="${escapeHtml(query.search)}" placeholder="Search ${escapeHtml(object.label)}" aria-label="Search ${escapeHtml(object.label)}">
<button type="submit">Search</button></form>
<div class="card"><div class="scroll"><table><thead><tr>${head}<th class="fc">Fieldcast</th></tr></thead><tbody>${body}</tbody></table></div>${empty}
<div class="pager">${pageLink(query.page - 1, '‹ Previous')}<span>${from.toLocaleString('en-US')}–${to.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} · page ${query.page} of ${lastPage}</span>${pageLink(query.page + 1, 'Next ›')}</div></div>`;
  return pageShell(object.label, source.vendorLabel, tabs(source, object.name), content);
}

/** Role of a Fieldcast field by its name, to order the section like a scoring card. */
function fieldcastRole(field: string): number {
  if (/reason|factor|explanation/i.test(field)) return 2;
  if (/confidence|tier|level/i.test(field)) return 1;
  if (/model|version|scored_?at|updated/i.test(field)) return 3;
  return 0;
}

function fieldcastItem(field: string, value: unknown): string {
  const label = `<dt title="${escapeHtml(field)}">${escapeHtml(fieldLabel(field))}</dt>`;
  const role = fieldcastRole(field);
  if (role === 2 && value !== null && value !== undefined && value !== '') {
    const items = reasonList(value).map((r) => `<li>${escapeHtml(r)}</li>`);
    return `<div>${label}<dd><ul class="reasons">${items.join('')}</ul></dd></div>`;
  }
  const percent = role === 0 || role === 1 ? asPercent(value) : undefined;
  const meter = percent === undefined ? '' : `<div class="meter" aria-hidden="true"><i style="width:${percent.toFixed(1)}%"></i></div>`;
  const text = displayValue(value);
  return `<div>${label}<dd>${text === '—' ? '<span class="empty">—</span>' : `<span class="badge">${escapeHtml(text)}</span>`}${meter}</dd></div>`;
}

export function renderRecordPage(source: RecordViewerSource, object: RecordViewerObject, record: Row): string {
  const fields = record.fields;
  const fieldcast = fieldcastFieldsOf(object, fields).sort((a, b) => fieldcastRole(a) - fieldcastRole(b) || a.localeCompare(b));
  const rest = Object.keys(fields).filter((f) => !object.isFieldcastField(f));
  // Columns first (what the list shows), then the remaining fields alphabetically.
  const ordered = [...object.columns.filter((c) => rest.includes(c)), ...rest.filter((f) => !object.columns.includes(f)).sort()];
  const details = ordered.map((f) => {
    const text = displayValue(fields[f]);
    return `<div><dt>${escapeHtml(f)}</dt><dd>${text === '—' ? '<span class="empty">—</span>' : escapeHtml(text)}</dd></div>`;
  });
  const title = displayValue(fields[object.titleField]) === '—' ? record.id : displayValue(fields[object.titleField]);
  const fieldcastBody = fieldcast.length
    ? `<dl>${fieldcast.map((f) => fieldcastItem(f, fields[f])).join('')}</dl>`
    : '<p class="note">No Fieldcast fields on this record yet. They appear here after Fieldcast scores the record and writes back.</p>';
  const content = `
<p><a href="${escapeHtml(viewPath(object))}">‹ All ${escapeHtml(object.label)}</a></p>
<div class="card record-head"><h2>${escapeHtml(title)}</h2><p>${escapeHtml(object.label)} · <code>${escapeHtml(record.id)}</code></p></div>
<section class="card fieldcast" aria-label="Fieldcast"><h3>Fieldcast</h3>${fieldcastBody}</section>
<section class="card"><h3>Details</h3><dl>${details.join('')}</dl></section>`;
  return pageShell(title, source.vendorLabel, tabs(source, object.name), content);
}

export function renderNotFoundPage(source: RecordViewerSource, message: string, active?: string): string {
  const known = source.objects.map((o) => `<a href="${escapeHtml(viewPath(o))}">${escapeHtml(o.label)}</a>`).join(', ');
  return pageShell(
    'Not found',
    source.vendorLabel,
    tabs(source, active),
    `<div class="card"><p class="note">${escapeHtml(message)} Objects: ${known || 'none'}.</p></div>`,
  );
}

/**
 * HTML building blocks for the record viewer. Every value that reaches the page goes through
 * `escapeHtml` (text and attributes) or `encodeURIComponent` (URLs): record fields are user data and
 * the viewer must be safe to open on any seeded or imported record.
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

/** Builds `path?k=v&...`, skipping empty values, with every part URL-encoded. */
export function href(path: string, query: Record<string, string | number | undefined> = {}): string {
  const parts = Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `${path}?${parts.join('&')}` : path;
}

/** Text for one field value as a CRM shows it: empty as a dash, objects as compact JSON. */
export function displayValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** `Fieldcast_Score__c`, `fieldcast_lead_score`, `fieldcastEscalationRisk` → `Score`, `Lead score`, `Escalation risk`. */
export function fieldLabel(field: string): string {
  const words = field
    .replace(/__c$/i, '')
    .replace(/^fieldcast[_\s-]*/i, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  const text = words || field;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Reasons arrive as a JSON array, a `;`/newline separated string, or a plain string. */
export function reasonList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => displayValue(v));
  if (typeof value !== 'string') return [displayValue(value)];
  const trimmed = value.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return parsed.map((v) => displayValue(v));
    } catch {
      // Not JSON after all: fall through to the separators.
    }
  }
  return trimmed
    .split(/\s*(?:;|\n|\|)\s*/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A 0..1 or 0..100 number as a percentage, for the score meter; undefined for anything else. */
export function asPercent(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n < 0 || n > 100) return undefined;
  return n <= 1 ? n * 100 : n;
}

export const RECORD_VIEWER_CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2937;background:#f3f4f6}
a{color:#1d4ed8;text-decoration:none}a:hover{text-decoration:underline}
header{background:#0f172a;color:#fff;padding:12px 20px;display:flex;flex-wrap:wrap;gap:8px 16px;align-items:baseline}
header h1{font-size:17px;margin:0;font-weight:600}header span{color:#94a3b8;font-size:12px}
nav.tabs{display:flex;flex-wrap:wrap;gap:4px;padding:10px 20px 0;background:#fff;border-bottom:1px solid #e5e7eb}
nav.tabs a{padding:8px 12px;border-radius:6px 6px 0 0;color:#374151;border-bottom:2px solid transparent}
nav.tabs a.active{border-bottom-color:#2563eb;color:#1d4ed8;font-weight:600}
nav.tabs small{color:#6b7280;margin-left:4px}
main{padding:16px 20px;max-width:1200px;margin:0 auto}
form.search{display:flex;gap:8px;margin-bottom:12px}
form.search input[type=search]{flex:1;min-width:0;padding:8px 10px;border:1px solid #d1d5db;border-radius:6px;font:inherit}
form.search button{padding:8px 14px;border:0;border-radius:6px;background:#2563eb;color:#fff;font:inherit;cursor:pointer}
.card{background:#fff;border:1px solid #e5e7eb;border-radius:8px;margin-bottom:16px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:8px 10px;border-bottom:1px solid #f1f5f9;white-space:nowrap}
.cell{display:inline-block;max-width:280px;overflow:hidden;text-overflow:ellipsis;vertical-align:bottom}
th{background:#f9fafb;font-size:12px;text-transform:uppercase;letter-spacing:.03em;color:#6b7280}
th.fc,td.fc{background:#f5f3ff}
td.fc:last-child{white-space:normal;min-width:240px}
.badge{display:inline-block;padding:1px 8px;border-radius:999px;background:#ede9fe;color:#5b21b6;font-size:12px;font-weight:600;margin:1px 4px 1px 0}
.empty{color:#9ca3af}
.pager{display:flex;justify-content:space-between;align-items:center;gap:8px;padding:10px 12px;color:#6b7280;flex-wrap:wrap}
.pager a,.pager span.off{padding:6px 12px;border:1px solid #d1d5db;border-radius:6px;background:#fff}
.pager span.off{color:#d1d5db}
.record-head{padding:16px}
.record-head h2{margin:0 0 4px;font-size:20px;word-break:break-word}
.record-head p{margin:0;color:#6b7280}
section h3{margin:0;padding:12px 16px;font-size:14px;border-bottom:1px solid #e5e7eb}
section.fieldcast{border-color:#c4b5fd}
section.fieldcast h3{background:#f5f3ff;color:#5b21b6;border-radius:8px 8px 0 0}
dl{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:0 24px;margin:0;padding:8px 16px 16px}
dl>div{padding:8px 0;border-bottom:1px solid #f1f5f9;min-width:0}
dt{font-size:12px;color:#6b7280}
dd{margin:2px 0 0;word-break:break-word;white-space:pre-wrap}
.meter{height:8px;background:#ede9fe;border-radius:4px;margin-top:6px;max-width:240px}
.meter i{display:block;height:100%;background:#7c3aed;border-radius:4px}
ul.reasons{margin:4px 0 0;padding-left:18px}
p.note{padding:12px 16px;margin:0;color:#6b7280}
footer{padding:16px 20px;color:#9ca3af;font-size:12px;text-align:center}
@media (max-width:600px){
  header,main,nav.tabs{padding-left:12px;padding-right:12px}
  dl{grid-template-columns:1fr}
  .cell{max-width:160px}
}
`;

export function pageShell(title: string, vendorLabel: string, tabs: string, content: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · ${escapeHtml(vendorLabel)} sandbox</title><style>${RECORD_VIEWER_CSS}</style></head>
<body><header><h1><a href="/" style="color:inherit">${escapeHtml(vendorLabel)} sandbox</a></h1><span>Fieldcast local vendor sandbox · records in memory</span></header>
${tabs}<main>${content}</main>
<footer><a href="/__sandbox/credentials">credentials</a> · <a href="/__sandbox/stats">stats</a> · fields written by Fieldcast are shown in <span class="badge">purple</span></footer>
</body></html>`;
}

/** Server-side pagination controls: previous / next and where we are. */
export function Pager(props: { page: number; pageSize: number; total: number; onPage: (page: number) => void; label: string }) {
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  const from = props.total === 0 ? 0 : (props.page - 1) * props.pageSize + 1;
  const to = Math.min(props.total, props.page * props.pageSize);
  return (
    <nav className="pager" aria-label={`${props.label} pages`}>
      <button type="button" onClick={() => props.onPage(props.page - 1)} disabled={props.page <= 1}>
        ← Previous
      </button>
      <span aria-live="polite">
        {from}–{to} of {props.total}
      </span>
      <button type="button" onClick={() => props.onPage(props.page + 1)} disabled={props.page >= pages}>
        Next →
      </button>
    </nav>
  );
}

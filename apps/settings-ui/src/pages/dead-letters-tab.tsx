import { useState } from 'react';
import { api, ApiError, query } from '../api/admin-api';
import type { Connection, DeadLetter, Page } from '../api/types';
import { AsyncView } from '../components/async-view';
import { ConfirmDialog } from '../components/confirm-dialog';
import { formatTime, formatValue } from '../components/format';
import { Pager } from '../components/pager';
import { useSession } from '../components/session-context';
import { useLoad } from '../components/use-load';

export function DeadLettersTab({ connection }: { connection: Connection }) {
  const { canEdit } = useSession();
  const [page, setPage] = useState(1);
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();
  const [confirmAll, setConfirmAll] = useState(false);
  const [busy, setBusy] = useState<string>();
  const state = useLoad(
    () => api<Page<DeadLetter>>('GET', `/connections/${connection.id}/dead-letters${query({ page, pageSize: 20 })}`),
    [connection.id, page],
  );

  async function replay(id: string | null) {
    setBusy(id ?? 'all');
    setError(undefined);
    try {
      const result = await api<{ replayed: number }>(
        'POST',
        id ? `/connections/${connection.id}/dead-letters/${id}/replay` : `/connections/${connection.id}/dead-letters/replay`,
      );
      setMessage(`${result.replayed} write${result.replayed === 1 ? '' : 's'} queued again.`);
      setConfirmAll(false);
      state.reload();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <section>
      <div className="page-head">
        <p className="muted">
          Write-backs {connection.vendorName} refused for good, with its error. Fix the cause (field permission, validation rule), then
          replay.
        </p>
        {canEdit && (state.data?.total ?? 0) > 0 && (
          <button type="button" onClick={() => setConfirmAll(true)}>
            Replay all ({state.data?.total})
          </button>
        )}
      </div>
      <p role="status" className="muted">
        {message ?? ''}
      </p>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      <AsyncView
        state={state}
        label="dead letters"
        reserveRows={5}
        isEmpty={(d) => d.total === 0}
        empty="No dead letters: every write-back went through."
      >
        {(data) => (
          <>
            <div className="table-wrap">
              <table>
                <caption className="sr-only">Failed write-backs</caption>
                <thead>
                  <tr>
                    <th scope="col">Record</th>
                    <th scope="col">Fields and values</th>
                    <th scope="col">Vendor error</th>
                    <th scope="col">Failed</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((d) => (
                    <tr key={d.id}>
                      <td data-label="Record">
                        {d.object} #{d.externalId}
                      </td>
                      <td data-label="Fields and values">
                        {Object.entries(d.fields).map(([field, value]) => (
                          <div key={field}>
                            <code>{field}</code> = {formatValue(value)}
                          </div>
                        ))}
                      </td>
                      <td data-label="Vendor error">
                        <strong>{d.vendorErrorCode ?? d.errorCode ?? 'error'}</strong>
                        <div className="small">{d.lastError}</div>
                        <div className="muted small">after {d.attempts} attempts</div>
                      </td>
                      <td data-label="Failed">{formatTime(d.failedAt)}</td>
                      <td>
                        {canEdit && (
                          <button
                            type="button"
                            onClick={() => replay(d.id)}
                            disabled={Boolean(busy)}
                            aria-label={`Replay the write to ${d.object} ${d.externalId}`}
                          >
                            {busy === d.id ? 'Replaying…' : 'Replay'}
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} label="Dead letters" />
          </>
        )}
      </AsyncView>
      <ConfirmDialog
        open={confirmAll}
        title="Replay every dead letter?"
        confirmLabel="Replay all"
        busy={busy === 'all'}
        onCancel={() => setConfirmAll(false)}
        onConfirm={() => replay(null)}
      >
        <p>All {state.data?.total ?? 0} failed writes go back to the outbox and are retried by the worker.</p>
      </ConfirmDialog>
    </section>
  );
}

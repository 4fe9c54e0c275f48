import { useState, type FormEvent } from 'react';
import { api, ApiError, query } from '../api/admin-api';
import type { Connection, Page, ShadowRow, StreamView } from '../api/types';
import { AsyncView } from '../components/async-view';
import { formatPercent, formatTime, formatValue } from '../components/format';
import { Pager } from '../components/pager';
import { useSession } from '../components/session-context';
import { StatusBadge } from '../components/status-badge';
import { useLoad } from '../components/use-load';

const TASK_LABELS: Record<string, string> = {
  'lead-score': 'Lead score',
  'ticket-category': 'Ticket category',
  'escalation-risk': 'Escalation risk',
};

export function StreamsTab({ connection, reload }: { connection: Connection; reload: () => void }) {
  return (
    <div className="stack">
      {connection.streams.map((stream) => (
        <StreamCard key={stream.name} connection={connection} stream={stream} reload={reload} />
      ))}
    </div>
  );
}

function StreamCard({ connection, stream, reload }: { connection: Connection; stream: StreamView; reload: () => void }) {
  const { canEdit } = useSession();
  const [draft, setDraft] = useState(stream);
  const [error, setError] = useState<ApiError>();
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [provision, setProvision] = useState<{
    fields: Array<{ key: string; name: string; status: string; writable: boolean; message?: string }>;
  }>();
  const [provisioning, setProvisioning] = useState(false);
  const dirty = JSON.stringify(draft) !== JSON.stringify(stream);
  // When the saved configuration changes under an unedited form (after a save, or a reload), show it.
  const [shown, setShown] = useState(stream);
  if (shown !== stream) {
    setShown(stream);
    if (JSON.stringify(draft) === JSON.stringify(shown)) setDraft(stream);
  }
  const id = `stream-${stream.name}`;

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    setError(undefined);
    setSaved(false);
    try {
      await api('PUT', `/connections/${connection.id}/streams/${stream.name}`, {
        enabled: draft.enabled,
        tasks: draft.tasks,
        fields: draft.fields,
        writePolicy: draft.writePolicy,
        autoWriteThreshold: draft.autoWriteThreshold,
        shadowMode: draft.shadowMode,
      });
      setSaved(true);
      reload();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, String(e)));
    } finally {
      setSaving(false);
    }
  }

  async function createFields() {
    setProvisioning(true);
    setError(undefined);
    try {
      setProvision(await api('POST', `/connections/${connection.id}/streams/${stream.name}/fields`));
      // The server re-tested the connection: its status and last problem may have changed.
      reload();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, String(e)));
    } finally {
      setProvisioning(false);
    }
  }

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <form onSubmit={save}>
        <div className="page-head">
          <h2 id={`${id}-title`}>
            {stream.vendorObject} <span className="muted small">({stream.name})</span>
          </h2>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={draft.enabled}
              disabled={!canEdit}
              onChange={(e) => setDraft({ ...draft, enabled: e.target.checked })}
            />
            <span>Sync this stream</span>
          </label>
        </div>
        <fieldset disabled={!canEdit} className="grid-2">
          <fieldset>
            <legend>What to score</legend>
            {stream.availableTasks.map((task) => (
              <label className="checkbox" key={task}>
                <input
                  type="checkbox"
                  checked={draft.tasks.includes(task)}
                  onChange={(e) =>
                    setDraft({ ...draft, tasks: e.target.checked ? [...draft.tasks, task] : draft.tasks.filter((t) => t !== task) })
                  }
                />
                <span>{TASK_LABELS[task] ?? task}</span>
              </label>
            ))}
            <small className="field-error">{error?.field('/tasks/0') ?? ''}</small>
          </fieldset>
          <fieldset>
            <legend>Where to write it ({connection.vendorName} fields)</legend>
            {stream.defaultFields.map((field) => (
              <label className="field" key={field.key}>
                <span>{field.label} field</span>
                <input
                  value={draft.fields[field.key] ?? field.name}
                  onChange={(e) => setDraft({ ...draft, fields: { ...draft.fields, [field.key]: e.target.value } })}
                  aria-describedby={`${id}-${field.key}-error`}
                  spellCheck={false}
                />
                <small id={`${id}-${field.key}-error`} className="field-error">
                  {error?.field(`/fields/${field.key}`) ?? ''}
                </small>
              </label>
            ))}
            <button
              type="button"
              onClick={createFields}
              disabled={provisioning || dirty}
              title={dirty ? 'Save the field names first' : undefined}
            >
              {provisioning ? 'Creating fields…' : `Create fields in ${connection.vendorName}`}
            </button>
            {provision && (
              <ul className="provision" role="status">
                {provision.fields.map((f) => (
                  <li key={f.key}>
                    <StatusBadge status={f.status === 'failed' ? 'fail' : f.writable ? 'pass' : 'warn'} /> {f.name}: {f.status}
                    {f.writable ? ', writable' : ', NOT writable'}
                    {f.message ? ` — ${f.message}` : ''}
                  </li>
                ))}
              </ul>
            )}
          </fieldset>
          <label className="field">
            <span>Write policy</span>
            <select
              value={draft.writePolicy}
              onChange={(e) => setDraft({ ...draft, writePolicy: e.target.value as StreamView['writePolicy'] })}
            >
              <option value="overwrite">Overwrite the field every time the score changes</option>
              <option value="only_when_empty">Only write when the field is empty</option>
            </select>
          </label>
          <label className="field">
            <span>
              Auto-write threshold: <output>{formatPercent(draft.autoWriteThreshold)}</output> confidence
            </span>
            <input
              type="range"
              min={0}
              max={1}
              step={0.05}
              value={draft.autoWriteThreshold}
              onChange={(e) => setDraft({ ...draft, autoWriteThreshold: Number(e.target.value) })}
              aria-describedby={`${id}-threshold-help`}
            />
            <small id={`${id}-threshold-help`} className="muted">
              Predictions less confident than this are kept in Fieldcast but not written.
            </small>
            <small className="field-error">{error?.field('/autoWriteThreshold') ?? ''}</small>
          </label>
          <label className="checkbox switch">
            <input
              type="checkbox"
              role="switch"
              checked={draft.shadowMode}
              onChange={(e) => setDraft({ ...draft, shadowMode: e.target.checked })}
            />
            <span>
              <strong>Shadow mode</strong> — score and preview, but write nothing to {connection.vendorName}
            </span>
          </label>
        </fieldset>
        <p className="form-error" role="alert">
          {error && !error.errors.length ? error.message : error ? 'Some values are not valid; see the messages above.' : ''}
        </p>
        {canEdit && (
          <div className="actions">
            <button type="submit" className="primary" disabled={!dirty || saving}>
              {saving ? 'Saving…' : 'Save'}
            </button>
            <span className="muted" role="status">
              {dirty ? 'Unsaved changes' : saved ? 'Saved' : ''}
            </span>
          </div>
        )}
      </form>
      {stream.shadowMode && <ShadowPreview connection={connection} stream={stream.name} />}
    </section>
  );
}

function ShadowPreview({ connection, stream }: { connection: Connection; stream: string }) {
  const [page, setPage] = useState(1);
  const state = useLoad(
    () => api<Page<ShadowRow>>('GET', `/connections/${connection.id}/streams/${stream}/shadow-preview${query({ page, pageSize: 10 })}`),
    [connection.id, stream, page],
  );
  return (
    <section className="shadow-preview" aria-labelledby={`shadow-${stream}`}>
      <h3 id={`shadow-${stream}`}>Shadow preview: what would be written</h3>
      <AsyncView
        state={state}
        label="shadow preview"
        reserveRows={4}
        isEmpty={(d) => d.total === 0}
        empty="Nothing scored in shadow mode yet. Run a sync to see what would be written."
      >
        {(data) => (
          <>
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Record</th>
                    <th scope="col">Field</th>
                    <th scope="col">Current value</th>
                    <th scope="col">New value</th>
                    <th scope="col">Confidence</th>
                    <th scope="col">Scored</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((row) => (
                    <tr key={row.id}>
                      <td data-label="Record">
                        {row.recordLabel ?? row.externalId} <span className="muted small">#{row.externalId}</span>
                      </td>
                      <td data-label="Field">
                        <code>{row.field}</code>
                      </td>
                      <td data-label="Current value">{formatValue(row.currentValue)}</td>
                      <td data-label="New value">
                        <strong>{formatValue(row.newValue)}</strong>
                      </td>
                      <td data-label="Confidence">{formatPercent(row.confidence)}</td>
                      <td data-label="Scored">{formatTime(row.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} label="Shadow preview" />
          </>
        )}
      </AsyncView>
    </section>
  );
}

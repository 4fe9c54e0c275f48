import { useState, type FormEvent } from 'react';
import { api, ApiError, query } from '../api/admin-api';
import type { ApiKey, Page } from '../api/types';
import { AsyncView } from '../components/async-view';
import { ConfirmDialog } from '../components/confirm-dialog';
import { formatTime } from '../components/format';
import { Pager } from '../components/pager';
import { useSession } from '../components/session-context';
import { useLoad } from '../components/use-load';

const TASKS = [
  ['lead-score', 'Lead score'],
  ['ticket-category', 'Ticket category'],
  ['escalation-risk', 'Escalation risk'],
] as const;

export function ApiKeysPage() {
  const { canEdit } = useSession();
  const [page, setPage] = useState(1);
  const state = useLoad(() => api<Page<ApiKey>>('GET', `/api-keys${query({ page, pageSize: 20 })}`), [page]);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['lead-score']);
  const [limit, setLimit] = useState('600');
  const [error, setError] = useState<ApiError>();
  const [created, setCreated] = useState<ApiKey & { key: string }>();
  const [revoking, setRevoking] = useState<ApiKey>();
  const [copied, setCopied] = useState(false);

  async function create(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setCopied(false);
    try {
      setCreated(await api('POST', '/api-keys', { name, scopes, rateLimitPerMinute: Number(limit) }));
      setName('');
      state.reload();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, String(e)));
    }
  }

  async function revoke() {
    if (!revoking) return;
    try {
      await api('POST', `/api-keys/${revoking.id}/revoke`);
      setRevoking(undefined);
      state.reload();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, String(e)));
      setRevoking(undefined);
    }
  }

  return (
    <section>
      <h1>API keys</h1>
      <p className="muted">
        Keys for the scoring API (<code>POST /v1/predict/…</code>, header <code>Authorization: Bearer fck_…</code>). A key is shown once,
        when it is created.
      </p>
      {canEdit && (
        <form className="card" onSubmit={create} noValidate>
          <h2>Create a key</h2>
          <div className="grid-3">
            <label className="field">
              <span>Name</span>
              <input
                value={name}
                onChange={(e) => setName(e.target.value)}
                placeholder="website lead form"
                aria-describedby="key-name-error"
              />
              <small id="key-name-error" className="field-error">
                {error?.field('/name') ?? ''}
              </small>
            </label>
            <fieldset>
              <legend>May call</legend>
              {TASKS.map(([task, label]) => (
                <label key={task} className="checkbox">
                  <input
                    type="checkbox"
                    checked={scopes.includes(task)}
                    onChange={(e) => setScopes(e.target.checked ? [...scopes, task] : scopes.filter((s) => s !== task))}
                  />
                  <span>{label}</span>
                </label>
              ))}
              <small className="field-error">{error?.field('/scopes') ?? ''}</small>
            </fieldset>
            <label className="field">
              <span>Requests per minute</span>
              <input type="number" min={1} value={limit} onChange={(e) => setLimit(e.target.value)} aria-describedby="key-limit-error" />
              <small id="key-limit-error" className="field-error">
                {error?.field('/rateLimitPerMinute') ?? ''}
              </small>
            </label>
          </div>
          <p className="form-error" role="alert">
            {error && !error.errors.length ? error.message : ''}
          </p>
          <button type="submit" className="primary">
            Create key
          </button>
        </form>
      )}
      {created && (
        <div className="notice notice-ok" role="status">
          <p>
            <strong>Copy the key for “{created.name}” now: it will not be shown again.</strong>
          </p>
          <div className="key-reveal">
            <code data-testid="new-api-key">{created.key}</code>
            <button
              type="button"
              onClick={() => {
                void navigator.clipboard?.writeText(created.key).then(() => setCopied(true));
              }}
            >
              {copied ? 'Copied' : 'Copy'}
            </button>
            <button type="button" onClick={() => setCreated(undefined)}>
              Done
            </button>
          </div>
        </div>
      )}
      <AsyncView state={state} label="API keys" reserveRows={4} isEmpty={(d) => d.total === 0} empty="No API keys yet.">
        {(data) => (
          <>
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Key</th>
                    <th scope="col">Scope</th>
                    <th scope="col">Limit</th>
                    <th scope="col">Created</th>
                    <th scope="col">Last used</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((k) => (
                    <tr key={k.id} className={k.revokedAt ? 'revoked' : undefined}>
                      <td data-label="Name">{k.name}</td>
                      <td data-label="Key">
                        <code>{k.prefix}…</code>
                      </td>
                      <td data-label="Scope">{k.scopes.join(', ')}</td>
                      <td data-label="Limit">{k.rateLimitPerMinute}/min</td>
                      <td data-label="Created">
                        {formatTime(k.createdAt)}
                        <div className="muted small">{k.createdBy}</div>
                      </td>
                      <td data-label="Last used">{k.lastUsedAt ? formatTime(k.lastUsedAt) : 'never'}</td>
                      <td>
                        {k.revokedAt ? (
                          <span className="muted">revoked {formatTime(k.revokedAt)}</span>
                        ) : (
                          canEdit && (
                            <button type="button" className="danger" onClick={() => setRevoking(k)} aria-label={`Revoke ${k.name}`}>
                              Revoke
                            </button>
                          )
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} label="API keys" />
          </>
        )}
      </AsyncView>
      <ConfirmDialog
        open={Boolean(revoking)}
        title={`Revoke ${revoking?.name ?? ''}?`}
        confirmLabel="Revoke key"
        danger
        onCancel={() => setRevoking(undefined)}
        onConfirm={revoke}
      >
        <p>Calls with this key are refused from now on. This cannot be undone.</p>
      </ConfirmDialog>
    </section>
  );
}

import { useState } from 'react';
import { Link, Navigate, NavLink, Route, Routes, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, ApiError } from '../api/admin-api';
import type { CheckResult, Connection } from '../api/types';
import { AsyncView } from '../components/async-view';
import { CheckPanel } from '../components/check-panel';
import { ConfirmDialog } from '../components/confirm-dialog';
import { useSession } from '../components/session-context';
import { StatusBadge } from '../components/status-badge';
import { useLoad } from '../components/use-load';
import { WebhookEndpointPanel } from '../components/webhook-endpoint-panel';
import { DeadLettersTab } from './dead-letters-tab';
import { HealthTab } from './health-tab';
import { ModelsTab } from './models-tab';
import { RunDetail, RunsTab } from './runs-tab';
import { ScheduleTab } from './schedule-tab';
import { StreamsTab } from './streams-tab';

const TABS = [
  ['streams', 'Streams & fields'],
  ['schedule', 'Schedule'],
  ['runs', 'Runs'],
  ['dead-letters', 'Dead letters'],
  ['models', 'Models'],
  ['health', 'Health'],
] as const;

export function ConnectionPage() {
  const { id = '' } = useParams();
  const state = useLoad(() => api<Connection>('GET', `/connections/${id}`), [id]);
  return (
    <section>
      <p>
        <Link to="/connections">← Connections</Link>
      </p>
      <AsyncView state={state} label="the connection" reserveRows={3}>
        {(connection) => <ConnectionView connection={connection} reload={state.reload} />}
      </AsyncView>
    </section>
  );
}

function ConnectionView({ connection, reload }: { connection: Connection; reload: () => void }) {
  const { canEdit } = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [check, setCheck] = useState<CheckResult>();
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const connected = params.get('connected');

  async function run(label: string, action: () => Promise<void>) {
    setBusy(label);
    setError(undefined);
    try {
      await action();
      reload();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(undefined);
    }
  }

  const test = () =>
    run('test', async () => {
      const result = await api<{ check: CheckResult }>('POST', `/connections/${connection.id}/test`);
      setCheck(result.check);
    });
  const togglePause = () =>
    run(
      'pause',
      async () => void (await api('POST', `/connections/${connection.id}/${connection.status === 'paused' ? 'resume' : 'pause'}`)),
    );
  const reauthenticate = () => {
    if (connection.authMode === 'oauth2') window.location.assign(`/admin/api/connections/${connection.id}/oauth/reauthenticate`);
    else navigate(`/connections/${connection.id}/health#reauth`);
  };
  const remove = () =>
    run('delete', async () => {
      await api('DELETE', `/connections/${connection.id}?confirm=${encodeURIComponent(connection.name)}`);
      navigate('/connections');
    });

  return (
    <>
      <div className="page-head">
        <div>
          <h1>{connection.name}</h1>
          <p className="muted">
            {connection.vendorName} · {connection.baseUrl ?? 'no base URL'} {connection.isDemo ? '· demo sandbox' : ''} ·{' '}
            <StatusBadge status={connection.status} />
          </p>
        </div>
        {canEdit && (
          <div className="actions wrap">
            <button type="button" onClick={test} disabled={Boolean(busy)}>
              {busy === 'test' ? 'Testing…' : 'Test connection'}
            </button>
            <button type="button" onClick={togglePause} disabled={Boolean(busy)}>
              {connection.status === 'paused' ? 'Resume' : 'Pause'}
            </button>
            <button type="button" onClick={reauthenticate}>
              Re-authenticate
            </button>
            <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>
              Delete
            </button>
          </div>
        )}
      </div>
      {connected && (
        <p className={`notice ${connected === 'ok' ? 'notice-ok' : 'notice-warn'}`} role="status">
          {connected === 'ok'
            ? `${connection.vendorName} is connected.`
            : `${connection.vendorName} is connected, but the connection test found problems: run "Test connection" to see them.`}
        </p>
      )}
      {connection.lastError && !check && (
        <p className="notice notice-warn" role="status">
          Last problem: {connection.lastError}
        </p>
      )}
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      {check && <CheckPanel result={check} />}
      <WebhookEndpointPanel connection={connection} />
      <nav className="tabs" aria-label="Connection sections">
        {TABS.map(([path, label]) => (
          <NavLink key={path} to={`/connections/${connection.id}/${path}`}>
            {label}
          </NavLink>
        ))}
      </nav>
      <Routes>
        <Route
          index
          element={
            <Navigate
              to={{ pathname: `/connections/${connection.id}/streams`, search: params.toString() ? `?${params.toString()}` : '' }}
              replace
            />
          }
        />
        <Route path="streams" element={<StreamsTab connection={connection} reload={reload} />} />
        <Route path="schedule" element={<ScheduleTab connection={connection} reload={reload} />} />
        <Route path="runs" element={<RunsTab connection={connection} />} />
        <Route path="runs/:runId" element={<RunDetail />} />
        <Route path="dead-letters" element={<DeadLettersTab connection={connection} />} />
        <Route path="models" element={<ModelsTab connection={connection} />} />
        <Route path="health" element={<HealthTab connection={connection} reload={reload} />} />
      </Routes>
      <ConfirmDialog
        open={confirmDelete}
        title={`Delete ${connection.name}?`}
        confirmLabel="Delete connection"
        danger
        typeToConfirm={connection.name}
        busy={busy === 'delete'}
        error={error}
        onCancel={() => setConfirmDelete(false)}
        onConfirm={remove}
      >
        <p>
          This removes the stored credentials, the synced records, predictions, runs and pending write-backs of this connection. Values
          already written to {connection.vendorName} stay there.
        </p>
      </ConfirmDialog>
    </>
  );
}

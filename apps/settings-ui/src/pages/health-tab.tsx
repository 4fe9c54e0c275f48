import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/admin-api';
import type { CheckResult, Connection } from '../api/types';
import { CheckPanel } from '../components/check-panel';
import { formatDuration, formatPercent, formatTime } from '../components/format';
import { useSession } from '../components/session-context';
import { StatusBadge } from '../components/status-badge';

export function HealthTab({ connection, reload }: { connection: Connection; reload: () => void }) {
  const { canEdit } = useSession();
  const h = connection.health;
  return (
    <div className="grid-2">
      <section className="card">
        <h2>Health</h2>
        <dl className="facts">
          <dt>Status</dt>
          <dd>
            <StatusBadge status={connection.status} />
          </dd>
          <dt>Last successful sync</dt>
          <dd>{formatTime(h?.lastSuccessfulSyncAt)}</dd>
          <dt>API budget used (last run)</dt>
          <dd>{h?.lastRunApiCalls ?? '—'} calls</dd>
          <dt>Error rate (last {h?.runsCounted ?? 0} runs)</dt>
          <dd>{formatPercent(h?.errorRate)}</dd>
          <dt>Webhook lag (24 h average)</dt>
          <dd>{formatDuration(h?.webhookLagMs)}</dd>
          <dt>Webhooks waiting</dt>
          <dd>
            {h?.webhookPending ?? 0}
            {h?.oldestPendingWebhookMs ? ` (oldest ${formatDuration(h.oldestPendingWebhookMs)})` : ''}
          </dd>
          <dt>Dead letters</dt>
          <dd>{h?.deadLetters ?? 0}</dd>
          <dt>Created</dt>
          <dd>{formatTime(connection.createdAt)}</dd>
        </dl>
      </section>
      {canEdit && connection.authMode === 'api_token' && <TokenReauth connection={connection} reload={reload} />}
    </div>
  );
}

function TokenReauth({ connection, reload }: { connection: Connection; reload: () => void }) {
  const [email, setEmail] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<ApiError>();
  const [check, setCheck] = useState<CheckResult>();
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const result = await api<{ check: CheckResult }>('PUT', `/connections/${connection.id}/credentials`, { email, token });
      setCheck(result.check);
      setToken('');
      reload();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, String(e)));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="card" id="reauth" onSubmit={submit} noValidate>
      <h2>Re-authenticate with a new API token</h2>
      <label className="field">
        <span>Agent email</span>
        <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required aria-describedby="reauth-email-error" />
        <small id="reauth-email-error" className="field-error">
          {error?.field('/email') ?? ''}
        </small>
      </label>
      <label className="field">
        <span>New API token</span>
        <input
          type="password"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          required
          autoComplete="off"
          aria-describedby="reauth-token-error"
        />
        <small id="reauth-token-error" className="field-error">
          {error?.field('/token') ?? ''}
        </small>
      </label>
      <p className="form-error" role="alert">
        {error && !error.errors.length ? error.message : ''}
      </p>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Saving and testing…' : 'Replace token and test'}
      </button>
      {check && <CheckPanel result={check} />}
    </form>
  );
}

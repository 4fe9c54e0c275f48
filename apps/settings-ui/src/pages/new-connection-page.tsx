import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, ApiError } from '../api/admin-api';
import type { CheckResult, Connection, Vendor } from '../api/types';
import { AsyncView } from '../components/async-view';
import { CheckPanel } from '../components/check-panel';
import { useSession } from '../components/session-context';
import { useLoad } from '../components/use-load';

/**
 * Add a connection: choose the vendor, then "Connect" (OAuth consent at the vendor, or the local
 * sandbox in demo mode) or, for Zendesk, the API token form. The test result is shown right away.
 */
export function NewConnectionPage() {
  const { canEdit } = useSession();
  const [params] = useSearchParams();
  const vendors = useLoad(() => api<Vendor[]>('GET', '/vendors'), []);
  const [vendor, setVendor] = useState<string>();
  const returnedError = params.get('error');
  if (!canEdit) return <p className="notice">Your role is viewer: ask an admin to add connections.</p>;
  return (
    <section>
      <p>
        <Link to="/connections">← Connections</Link>
      </p>
      <h1>Add a connection</h1>
      {returnedError && (
        <p className="notice notice-error" role="alert">
          Connecting did not finish: {returnedError}
        </p>
      )}
      <AsyncView state={vendors} label="vendors" reserveRows={2}>
        {(list) => (
          <>
            <fieldset className="vendor-choice">
              <legend>1. Choose the vendor</legend>
              {list.map((v) => (
                <label key={v.vendor} className={`vendor-option${vendor === v.vendor ? ' selected' : ''}`}>
                  <input type="radio" name="vendor" value={v.vendor} checked={vendor === v.vendor} onChange={() => setVendor(v.vendor)} />
                  <span>
                    <strong>{v.displayName}</strong>
                    <span className="muted small">{v.streams.map((s) => s.vendorObject).join(', ')}</span>
                  </span>
                </label>
              ))}
            </fieldset>
            {vendor && <ConnectForm key={vendor} vendor={list.find((v) => v.vendor === vendor)!} />}
          </>
        )}
      </AsyncView>
    </section>
  );
}

function ConnectForm({ vendor }: { vendor: Vendor }) {
  const [name, setName] = useState(`${vendor.displayName}${vendor.demoBaseUrl ? ' demo' : ''}`);
  const [useDemo, setUseDemo] = useState(Boolean(vendor.demoBaseUrl));
  const [baseUrl, setBaseUrl] = useState('');
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [subdomain, setSubdomain] = useState('');
  const [email, setEmail] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ connection: Connection; check: CheckResult }>();
  const navigate = useNavigate();

  function connectOAuth(event: FormEvent) {
    event.preventDefault();
    const params = new URLSearchParams({ name });
    if (!useDemo) {
      if (baseUrl) params.set('baseUrl', baseUrl);
      if (clientId) params.set('clientId', clientId);
      if (clientSecret) params.set('clientSecret', clientSecret);
    }
    // A full-page navigation: the vendor's consent page, then back to /connections/<id>.
    window.location.assign(`/admin/api/connections/oauth/${vendor.vendor}/start?${params.toString()}`);
  }

  async function createZendesk(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = useDemo
        ? { vendor: 'zendesk', name, demo: true }
        : { vendor: 'zendesk', name, subdomain: subdomain || undefined, email, token };
      setResult(await api('POST', '/connections', body));
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, String(e)));
    } finally {
      setBusy(false);
    }
  }

  const nameField = (
    <label className="field">
      <span>Connection name</span>
      <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} aria-describedby="name-error" />
      <small id="name-error" className="field-error">
        {error?.field('/name') ?? ''}
      </small>
    </label>
  );
  const demoToggle = vendor.demoBaseUrl ? (
    <label className="checkbox">
      <input type="checkbox" checked={useDemo} onChange={(e) => setUseDemo(e.target.checked)} />
      <span>Use the local demo sandbox ({vendor.demoBaseUrl})</span>
    </label>
  ) : null;

  if (result) {
    return (
      <div className="card">
        <h2>2. Test result</h2>
        <CheckPanel result={result.check} />
        <button type="button" className="primary" onClick={() => navigate(`/connections/${result.connection.id}`)}>
          Open {result.connection.name}
        </button>
      </div>
    );
  }

  if (vendor.oauth) {
    return (
      <form className="card" onSubmit={connectOAuth}>
        <h2>2. Connect {vendor.displayName}</h2>
        <p>
          You will be sent to {vendor.displayName}'s consent page to allow Fieldcast to read records and write scores, then come back here.
        </p>
        {nameField}
        {demoToggle}
        {!useDemo && (
          <>
            <label className="field">
              <span>{vendor.vendor === 'salesforce' ? 'Login URL' : 'API base URL'}</span>
              <input
                type="url"
                value={baseUrl}
                onChange={(e) => setBaseUrl(e.target.value)}
                placeholder={vendor.vendor === 'salesforce' ? 'https://login.salesforce.com' : 'https://api.hubapi.com'}
                required
              />
            </label>
            <label className="field">
              <span>OAuth client id</span>
              <input value={clientId} onChange={(e) => setClientId(e.target.value)} required autoComplete="off" />
            </label>
            <label className="field">
              <span>OAuth client secret</span>
              <input type="password" value={clientSecret} onChange={(e) => setClientSecret(e.target.value)} required autoComplete="off" />
            </label>
          </>
        )}
        <button type="submit" className="primary">
          Connect {vendor.displayName}
        </button>
      </form>
    );
  }

  return (
    <form className="card" onSubmit={createZendesk} noValidate>
      <h2>2. Connect {vendor.displayName} with an API token</h2>
      {nameField}
      {demoToggle}
      {!useDemo && (
        <>
          <label className="field">
            <span>Subdomain (yourcompany in yourcompany.zendesk.com)</span>
            <input value={subdomain} onChange={(e) => setSubdomain(e.target.value)} required aria-describedby="subdomain-error" />
            <small id="subdomain-error" className="field-error">
              {error?.field('/subdomain') ?? error?.field('/baseUrl') ?? ''}
            </small>
          </label>
          <label className="field">
            <span>Agent email</span>
            <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required aria-describedby="email-error" />
            <small id="email-error" className="field-error">
              {error?.field('/email') ?? ''}
            </small>
          </label>
          <label className="field">
            <span>API token (Admin Center → Apps and integrations → Zendesk API)</span>
            <input
              type="password"
              value={token}
              onChange={(e) => setToken(e.target.value)}
              required
              autoComplete="off"
              aria-describedby="token-error"
            />
            <small id="token-error" className="field-error">
              {error?.field('/token') ?? ''}
            </small>
          </label>
        </>
      )}
      <p className="form-error" role="alert">
        {error && !error.errors.length ? error.message : ''}
      </p>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Connecting and testing…' : 'Connect and test'}
      </button>
    </form>
  );
}

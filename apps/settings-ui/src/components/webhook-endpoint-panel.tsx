import { useRef, useState } from 'react';
import { api, ApiError } from '../api/admin-api';
import type { Connection, WebhookEndpoint } from '../api/types';
import { useSession } from './session-context';
import { useLoad } from './use-load';

/**
 * The URL the vendor must call, to paste into its setup, with a copy button and where to paste it.
 * A URL with a secret in it (Salesforce outbound messages) arrives masked; admins reveal it on
 * request (the server records who did), viewers are told why they cannot see it.
 */
export function WebhookEndpointPanel({ connection }: { connection: Connection }) {
  const { canEdit } = useSession();
  // Reloaded with the connection: a connection test can record the org id that makes it ready.
  const state = useLoad(
    () =>
      api<WebhookEndpoint>('GET', `/connections/${connection.id}/webhook-endpoint`).catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 404) return null; // this vendor sends no webhooks
        throw e;
      }),
    [connection],
  );
  const [revealed, setRevealed] = useState<WebhookEndpoint>();
  const [copied, setCopied] = useState<string>();
  const [error, setError] = useState<string>();
  const input = useRef<HTMLInputElement>(null);
  const loaded = state.data;
  if (!loaded) return null;
  const endpoint = revealed && revealed.vendor === loaded.vendor ? { ...loaded, url: revealed.url, revealed: true } : loaded;
  const hidden = endpoint.secretInUrl && !endpoint.revealed;
  const inputId = `webhook-url-${connection.id}`;

  async function fullUrl(): Promise<string> {
    if (!hidden) return endpoint.url;
    const full = await api<WebhookEndpoint>('POST', `/connections/${connection.id}/webhook-endpoint/reveal`);
    setRevealed(full);
    return full.url;
  }

  async function act(action: 'show' | 'copy') {
    setError(undefined);
    setCopied(undefined);
    let url: string;
    try {
      url = await fullUrl();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
      return;
    }
    if (action === 'show') return;
    try {
      // Clipboard access needs a secure context (https or localhost); otherwise the URL is selected.
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(url);
      setCopied('Copied');
    } catch {
      input.current?.focus();
      input.current?.setSelectionRange(0, url.length);
      setCopied('Selected: press Ctrl+C (⌘C on a Mac) to copy');
    }
  }

  return (
    <section className="card" aria-labelledby={`${inputId}-title`}>
      <h2 id={`${inputId}-title`}>Webhooks</h2>
      <label htmlFor={inputId}>
        <strong>{endpoint.label}</strong>
      </label>
      <div className="key-reveal">
        <input
          id={inputId}
          ref={input}
          readOnly
          value={endpoint.url}
          aria-describedby={`${inputId}-help`}
          onFocus={(e) => e.currentTarget.select()}
          style={{ flex: '1 1 22rem', fontFamily: 'ui-monospace, monospace' }}
        />
        {(!hidden || canEdit) && (
          <button type="button" onClick={() => void act('copy')}>
            Copy URL
          </button>
        )}
        {hidden && canEdit && (
          <button type="button" onClick={() => void act('show')}>
            Show
          </button>
        )}
      </div>
      <p id={`${inputId}-help`} className="muted small">
        {endpoint.instructions}
      </p>
      {endpoint.secretInUrl && (
        <p className="muted small">
          {canEdit
            ? 'The last part of this URL is a secret: anyone who has it can post messages as your Salesforce org. Paste it only into Salesforce.'
            : 'Only admins can see this URL: its last part is a secret.'}
        </p>
      )}
      <p role="status" className="small">
        {copied ?? ''}
      </p>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      {endpoint.problems.length > 0 ? (
        <div className="notice notice-warn" role="status">
          <p>
            <strong>Deliveries are refused until this is fixed:</strong>
          </p>
          <ul>
            {endpoint.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="small">
          <span className="badge badge-ok">ready</span>{' '}
          {endpoint.organizationId && endpoint.vendor === 'salesforce'
            ? `Outbound messages from org ${endpoint.organizationId} are accepted.`
            : 'Signed deliveries are accepted.'}
        </p>
      )}
      {endpoint.warnings.map((w) => (
        <p key={w} className="notice notice-warn">
          {w}
        </p>
      ))}
    </section>
  );
}

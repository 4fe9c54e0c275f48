import { useCallback, useEffect, useMemo, useState } from 'react';
import { Navigate, NavLink, Route, Routes } from 'react-router';
import { api, setCsrfToken, setUnauthorizedHandler } from './api/admin-api';
import type { SessionState } from './api/types';
import { TIME_ZONE } from './components/format';
import { SessionContext, type SessionValue } from './components/session-context';
import { ApiKeysPage } from './pages/api-keys-page';
import { AuditLogPage } from './pages/audit-log-page';
import { ConnectionPage } from './pages/connection-page';
import { ConnectionsPage } from './pages/connections-page';
import { NewConnectionPage } from './pages/new-connection-page';
import { SignInPage } from './pages/sign-in-page';

export function App() {
  const [session, setSession] = useState<SessionState | null>(null);
  const [loadError, setLoadError] = useState<string>();

  const refresh = useCallback(() => {
    api<SessionState>('GET', '/auth/session')
      .then((s) => {
        setCsrfToken(s.csrfToken);
        setSession(s);
        setLoadError(undefined);
      })
      .catch((e: Error) => setLoadError(e.message));
  }, []);

  useEffect(() => {
    refresh();
    setUnauthorizedHandler(() => setSession((s) => (s ? { ...s, user: null, csrfToken: null } : s)));
  }, [refresh]);

  const value = useMemo<SessionValue | null>(
    () =>
      session?.user
        ? {
            user: session.user,
            canEdit: session.user.role === 'admin',
            signOut: () => {
              void api('POST', '/auth/logout').finally(() => {
                setCsrfToken(null);
                setSession({ needsSetup: false, user: null, csrfToken: null });
              });
            },
          }
        : null,
    [session],
  );

  if (loadError)
    return (
      <main className="centered">
        <p className="notice notice-error" role="alert">
          {loadError}
        </p>
        <button type="button" onClick={refresh}>
          Try again
        </button>
      </main>
    );
  if (!session) return <main className="centered" aria-busy="true" />;
  if (!value) return <SignInPage setup={session.needsSetup} onSignedIn={refresh} />;

  return (
    <SessionContext.Provider value={value}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <strong className="brand">Fieldcast</strong>
        <nav aria-label="Main">
          <NavLink to="/connections">Connections</NavLink>
          <NavLink to="/api-keys">API keys</NavLink>
          <NavLink to="/audit-log">Audit log</NavLink>
        </nav>
        <div className="whoami">
          <span title={value.user.email}>
            {value.user.email} <span className="muted">({value.user.role})</span>
          </span>
          <button type="button" onClick={value.signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Routes>
          <Route path="/" element={<Navigate to="/connections" replace />} />
          <Route path="/connections" element={<ConnectionsPage />} />
          <Route path="/connections/new" element={<NewConnectionPage />} />
          <Route path="/connections/:id/*" element={<ConnectionPage />} />
          <Route path="/api-keys" element={<ApiKeysPage />} />
          <Route path="/audit-log" element={<AuditLogPage />} />
          <Route path="*" element={<p className="notice">This page does not exist.</p>} />
        </Routes>
      </main>
      <footer className="footer muted">
        Times are shown in {TIME_ZONE}. API documentation: <a href="/docs">/docs</a>
      </footer>
    </SessionContext.Provider>
  );
}

import { useState, type FormEvent } from 'react';
import { api, ApiError, setCsrfToken } from '../api/admin-api';

/** Sign-in, or first-run setup when no admin exists yet (the server enforces which one applies). */
export function SignInPage(props: { setup: boolean; onSignedIn: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const result = await api<{ csrfToken: string }>('POST', props.setup ? '/setup' : '/auth/login', { email, password });
      setCsrfToken(result.csrfToken);
      props.onSignedIn();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, String(e)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="centered">
      <form className="card signin" onSubmit={submit} noValidate>
        <h1>{props.setup ? 'Set up Fieldcast' : 'Sign in to Fieldcast'}</h1>
        {props.setup && <p>No admin exists yet. Create the first admin account; you can add more people later.</p>}
        <label className="field">
          <span>Email</span>
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={Boolean(error?.field('/email'))}
            aria-describedby="email-error"
          />
          <small id="email-error" className="field-error">
            {error?.field('/email') ?? ''}
          </small>
        </label>
        <label className="field">
          <span>Password{props.setup ? ' (at least 12 characters)' : ''}</span>
          <input
            type="password"
            name="password"
            autoComplete={props.setup ? 'new-password' : 'current-password'}
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={Boolean(error?.field('/password'))}
            aria-describedby="password-error"
          />
          <small id="password-error" className="field-error">
            {error?.field('/password') ?? ''}
          </small>
        </label>
        <p className="form-error" role="alert">
          {error && !error.errors.length ? error.message : ''}
        </p>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Please wait…' : props.setup ? 'Create admin and sign in' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

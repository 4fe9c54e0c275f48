import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/admin-api';
import type { Connection, Run, Schedule } from '../api/types';
import { RunProgress } from '../components/run-progress';
import { useSession } from '../components/session-context';

export function ScheduleTab({ connection, reload }: { connection: Connection; reload: () => void }) {
  const { canEdit } = useSession();
  const [kind, setKind] = useState<Schedule['kind']>(connection.schedule.kind);
  const [minutes, setMinutes] = useState(connection.schedule.kind === 'interval' ? String(connection.schedule.minutes) : '15');
  const [expression, setExpression] = useState(connection.schedule.kind === 'cron' ? connection.schedule.expression : '*/15 * * * *');
  const [error, setError] = useState<ApiError>();
  const [status, setStatus] = useState('');
  const [syncError, setSyncError] = useState<string>();
  const [runs, setRuns] = useState<Run[]>(() => []);
  const [starting, setStarting] = useState(false);
  const running = connection.health?.runningRunId;

  async function save(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setStatus('Saving…');
    try {
      await api(
        'PUT',
        `/connections/${connection.id}/schedule`,
        kind === 'interval' ? { kind, minutes: Number(minutes) } : { kind, expression },
      );
      setStatus('Saved');
      reload();
    } catch (e) {
      setStatus('');
      setError(e instanceof ApiError ? e : new ApiError(0, String(e)));
    }
  }

  async function syncNow() {
    setStarting(true);
    setSyncError(undefined);
    try {
      const result = await api<{ runs: Run[] }>('POST', `/connections/${connection.id}/sync`, { mode: 'incremental' });
      setRuns(result.runs);
    } catch (e) {
      setSyncError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setStarting(false);
    }
  }

  const followed = runs.length ? runs.map((r) => r.id) : running ? [running] : [];
  return (
    <div className="grid-2">
      <form className="card" onSubmit={save} noValidate>
        <h2>Schedule</h2>
        <fieldset disabled={!canEdit}>
          <legend className="sr-only">Kind of schedule</legend>
          <label className="checkbox">
            <input type="radio" name="kind" checked={kind === 'interval'} onChange={() => setKind('interval')} />
            <span>Every few minutes</span>
          </label>
          <label className="checkbox">
            <input type="radio" name="kind" checked={kind === 'cron'} onChange={() => setKind('cron')} />
            <span>Cron expression</span>
          </label>
          {kind === 'interval' ? (
            <label className="field">
              <span>Interval in minutes (1 or more)</span>
              <input
                type="number"
                min={1}
                step={1}
                inputMode="numeric"
                value={minutes}
                onChange={(e) => setMinutes(e.target.value)}
                aria-describedby="minutes-error"
              />
              <small id="minutes-error" className="field-error">
                {error?.field('/minutes') ?? ''}
              </small>
            </label>
          ) : (
            <label className="field">
              <span>Cron (minute hour day-of-month month day-of-week), in the server's time zone</span>
              <input value={expression} onChange={(e) => setExpression(e.target.value)} spellCheck={false} aria-describedby="cron-error" />
              <small id="cron-error" className="field-error">
                {error?.field('/expression') ?? ''}
              </small>
            </label>
          )}
          <div className="actions">
            <button type="submit" className="primary">
              Save schedule
            </button>
            <span role="status" className="muted">
              {status}
            </span>
          </div>
        </fieldset>
      </form>
      <section className="card" aria-labelledby="sync-now-title">
        <h2 id="sync-now-title">Sync now</h2>
        <p className="muted">Fetches what changed since the last sync, scores it and writes back (or previews, in shadow mode).</p>
        {canEdit && (
          <button type="button" className="primary" onClick={syncNow} disabled={starting || connection.status === 'paused'}>
            {starting ? 'Starting…' : 'Sync now'}
          </button>
        )}
        {connection.status === 'paused' && <p className="muted">The connection is paused: resume it to sync.</p>}
        {syncError && (
          <p className="notice notice-error" role="alert">
            {syncError}
          </p>
        )}
        <div className="progress-area">
          {followed.length ? followed.map((id) => <RunProgress key={id} runId={id} />) : <p className="muted">No sync is running.</p>}
        </div>
      </section>
    </div>
  );
}

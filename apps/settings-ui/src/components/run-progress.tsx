import { useEffect, useState } from 'react';
import { api } from '../api/admin-api';
import type { Run, RunDetail } from '../api/types';
import { formatDuration } from './format';
import { StatusBadge } from './status-badge';

const ACTIVE = new Set(['queued', 'running']);

/** Follows one sync run by polling it every second until it finishes. */
export function RunProgress({ runId, onDone }: { runId: string; onDone?: (run: Run) => void }) {
  const [run, setRun] = useState<Run>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const detail = await api<RunDetail>('GET', `/runs/${runId}?pageSize=1`);
        if (stopped) return;
        setRun(detail.run);
        setError(undefined);
        if (ACTIVE.has(detail.run.status)) timer = setTimeout(poll, 1000);
        else onDone?.(detail.run);
      } catch (e) {
        if (stopped) return;
        setError((e as Error).message);
        timer = setTimeout(poll, 3000);
      }
    };
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [runId]);
  const active = !run || ACTIVE.has(run.status);
  const counts = run?.counts;
  return (
    <div className="run-progress" aria-live="polite">
      <div className="run-progress-head">
        <span>
          {run?.stream ?? 'sync'} {run ? <StatusBadge status={run.status} /> : 'starting…'}
        </span>
        <span className="muted">{run ? formatDuration(run.durationMs) : ''}</span>
      </div>
      {/* No value = indeterminate: the total is unknown until the vendor says there is no next page. */}
      <progress aria-label={`Progress of the ${run?.stream ?? ''} sync`} {...(active ? {} : { value: 1, max: 1 })} />
      <p className="muted small">
        {run?.status === 'queued'
          ? 'Queued: waiting for a worker to pick it up.'
          : counts
            ? `${counts.fetched} fetched · ${counts.scored} scored · ${counts.written} written · ${counts.skippedUnchanged} unchanged · ${counts.failed} failed · ${run?.apiCalls ?? 0} API calls`
            : ''}
      </p>
      {run?.error && <p className="notice notice-error">{run.error}</p>}
      {error && <p className="notice notice-warn">Lost contact with the server ({error}); retrying…</p>}
    </div>
  );
}

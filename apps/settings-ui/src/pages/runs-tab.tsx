import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, query } from '../api/admin-api';
import type { Connection, Page, Run, RunDetail as RunDetailData } from '../api/types';
import { AsyncView } from '../components/async-view';
import { formatDuration, formatTime } from '../components/format';
import { Pager } from '../components/pager';
import { StatusBadge } from '../components/status-badge';
import { useLoad } from '../components/use-load';

export function RunsTab({ connection }: { connection: Connection }) {
  const [page, setPage] = useState(1);
  const state = useLoad(
    () => api<Page<Run>>('GET', `/connections/${connection.id}/runs${query({ page, pageSize: 20 })}`),
    [connection.id, page],
  );
  return (
    <AsyncView
      state={state}
      label="runs"
      reserveRows={6}
      isEmpty={(d) => d.total === 0}
      empty="No syncs have run yet. Start one from the Schedule tab."
    >
      {(data) => (
        <>
          <div className="table-wrap">
            <table>
              <caption className="sr-only">Sync runs, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Started</th>
                  <th scope="col">Stream</th>
                  <th scope="col">Status</th>
                  <th scope="col">Fetched</th>
                  <th scope="col">Scored</th>
                  <th scope="col">Written</th>
                  <th scope="col">Failed</th>
                  <th scope="col">API calls</th>
                  <th scope="col">Duration</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((run) => (
                  <tr key={run.id}>
                    <td data-label="Started">
                      <Link to={`/connections/${connection.id}/runs/${run.id}`}>{formatTime(run.startedAt ?? run.createdAt)}</Link>
                      <div className="muted small">
                        {run.trigger} · {run.mode}
                      </div>
                    </td>
                    <td data-label="Stream">{run.stream ?? 'all'}</td>
                    <td data-label="Status">
                      <StatusBadge status={run.status} />
                    </td>
                    <td data-label="Fetched">{run.counts.fetched}</td>
                    <td data-label="Scored">{run.counts.scored}</td>
                    <td data-label="Written">{run.counts.written}</td>
                    <td data-label="Failed">{run.counts.failed}</td>
                    <td data-label="API calls">{run.apiCalls}</td>
                    <td data-label="Duration">{formatDuration(run.durationMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} label="Runs" />
        </>
      )}
    </AsyncView>
  );
}

export function RunDetail() {
  const { id = '', runId = '' } = useParams();
  const [page, setPage] = useState(1);
  const state = useLoad(() => api<RunDetailData>('GET', `/runs/${runId}${query({ page, pageSize: 100 })}`), [runId, page]);
  return (
    <section>
      <p>
        <Link to={`/connections/${id}/runs`}>← All runs</Link>
      </p>
      <AsyncView state={state} label="the run" reserveRows={8}>
        {({ run, log }) => (
          <>
            <h2>
              Run of {run.stream ?? 'all streams'} <StatusBadge status={run.status} />
            </h2>
            <dl className="facts">
              <dt>Queued</dt>
              <dd>{formatTime(run.createdAt)}</dd>
              <dt>Started</dt>
              <dd>{formatTime(run.startedAt)}</dd>
              <dt>Finished</dt>
              <dd>{formatTime(run.finishedAt)}</dd>
              <dt>Duration</dt>
              <dd>{formatDuration(run.durationMs)}</dd>
              <dt>Counts</dt>
              <dd>
                {run.counts.fetched} fetched, {run.counts.deleted} deleted, {run.counts.scored} scored, {run.counts.written} written,{' '}
                {run.counts.skippedUnchanged} unchanged, {run.counts.failed} failed
              </dd>
              <dt>API calls</dt>
              <dd>
                {run.apiCalls} (
                {Object.entries(run.apiCallsByEndpoint)
                  .map(([k, v]) => `${k}: ${v}`)
                  .join(', ') || 'none'}
                ); waited {formatDuration(run.rateLimitWaitMs)} for rate limits
              </dd>
              {run.error && (
                <>
                  <dt>Error</dt>
                  <dd className="bad">{run.error}</dd>
                </>
              )}
            </dl>
            <h3>Log</h3>
            {log.total === 0 ? (
              <p className="muted">No log lines{run.status === 'queued' ? ' yet: the run has not started' : ''}.</p>
            ) : (
              <>
                <ol className="log">
                  {log.items.map((line, i) => (
                    <li key={i} className={`log-${line.level}`}>
                      <time>{formatTime(line.at)}</time> <span className="level">{line.level}</span> {line.message}
                      {line.details && <code className="details">{JSON.stringify(line.details)}</code>}
                    </li>
                  ))}
                </ol>
                <Pager page={log.page} pageSize={log.pageSize} total={log.total} onPage={setPage} label="Log" />
              </>
            )}
          </>
        )}
      </AsyncView>
    </section>
  );
}

import { useState } from 'react';
import { Link } from 'react-router';
import { api, query } from '../api/admin-api';
import type { Connection, Page } from '../api/types';
import { AsyncView } from '../components/async-view';
import { formatDuration, formatPercent, formatTime } from '../components/format';
import { Pager } from '../components/pager';
import { useSession } from '../components/session-context';
import { StatusBadge } from '../components/status-badge';
import { useLoad } from '../components/use-load';

const PAGE_SIZE = 20;

export function ConnectionsPage() {
  const { canEdit } = useSession();
  const [page, setPage] = useState(1);
  const state = useLoad(() => api<Page<Connection>>('GET', `/connections${query({ page, pageSize: PAGE_SIZE })}`), [page]);
  return (
    <section>
      <div className="page-head">
        <h1>Connections</h1>
        {canEdit && (
          <Link className="button primary" to="/connections/new">
            Add connection
          </Link>
        )}
      </div>
      <AsyncView
        state={state}
        label="connections"
        reserveRows={4}
        isEmpty={(d) => d.total === 0}
        empty={
          <>
            <p>No connections yet.</p>
            {canEdit && <Link to="/connections/new">Connect Salesforce, HubSpot or Zendesk</Link>}
          </>
        }
      >
        {(data) => (
          <>
            <div className="table-wrap">
              <table>
                <caption className="sr-only">Connections and their health</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Status</th>
                    <th scope="col">Last successful sync</th>
                    <th scope="col">API calls (last run)</th>
                    <th scope="col">Error rate</th>
                    <th scope="col">Webhook lag</th>
                    <th scope="col">Dead letters</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((c) => (
                    <tr key={c.id}>
                      <td data-label="Name">
                        <Link to={`/connections/${c.id}`}>{c.name}</Link>
                        <div className="muted small">
                          {c.vendorName}
                          {c.isDemo ? ' · demo sandbox' : ''}
                        </div>
                      </td>
                      <td data-label="Status">
                        <StatusBadge status={c.status} />
                      </td>
                      <td data-label="Last successful sync">{formatTime(c.health?.lastSuccessfulSyncAt)}</td>
                      <td data-label="API calls (last run)">{c.health?.lastRunApiCalls ?? '—'}</td>
                      <td data-label="Error rate">{formatPercent(c.health?.errorRate)}</td>
                      <td data-label="Webhook lag">{formatDuration(c.health?.webhookLagMs)}</td>
                      <td data-label="Dead letters">{c.health?.deadLetters ?? 0}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} label="Connections" />
          </>
        )}
      </AsyncView>
    </section>
  );
}

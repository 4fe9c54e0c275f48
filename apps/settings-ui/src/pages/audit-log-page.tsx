import { useState } from 'react';
import { api, query } from '../api/admin-api';
import type { AuditEntry, Page } from '../api/types';
import { AsyncView } from '../components/async-view';
import { formatTime } from '../components/format';
import { Pager } from '../components/pager';
import { useLoad } from '../components/use-load';

export function AuditLogPage() {
  const [page, setPage] = useState(1);
  const [action, setAction] = useState('');
  const state = useLoad(() => api<Page<AuditEntry>>('GET', `/audit-log${query({ page, pageSize: 25, action })}`), [page, action]);
  return (
    <section>
      <h1>Audit log</h1>
      <label className="field inline">
        <span>Only this action</span>
        <input
          value={action}
          onChange={(e) => {
            setAction(e.target.value.trim());
            setPage(1);
          }}
          placeholder="e.g. connection.delete"
          list="audit-actions"
        />
        <datalist id="audit-actions">
          {[
            'admin.login',
            'admin.login_failed',
            'admin.locked',
            'connection.create',
            'connection.delete',
            'connection.stream.update',
            'connection.sync_now',
            'dead_letter.replay',
            'api_key.create',
            'api_key.revoke',
            'model.promote',
          ].map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </label>
      <AsyncView state={state} label="audit entries" reserveRows={8} isEmpty={(d) => d.total === 0} empty="No matching entries.">
        {(data) => (
          <>
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Who</th>
                    <th scope="col">What</th>
                    <th scope="col">Target</th>
                    <th scope="col">From</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((e) => (
                    <tr key={e.id}>
                      <td data-label="When">{formatTime(e.at)}</td>
                      <td data-label="Who">
                        {e.actor ?? '—'} <span className="muted small">({e.actorType})</span>
                      </td>
                      <td data-label="What">
                        <code>{e.action}</code>
                        {Object.keys(e.details).length > 0 && <div className="muted small details">{JSON.stringify(e.details)}</div>}
                      </td>
                      <td data-label="Target">{e.targetType ? `${e.targetType} ${e.targetId?.slice(0, 8) ?? ''}` : '—'}</td>
                      <td data-label="From">
                        {e.ip ?? '—'}
                        <div className="muted small ua" title={e.userAgent ?? ''}>
                          {e.userAgent ?? ''}
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} label="Audit log" />
          </>
        )}
      </AsyncView>
    </section>
  );
}

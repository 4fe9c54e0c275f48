import type { CheckResult } from '../api/types';
import { StatusBadge } from './status-badge';

/** What "Test connection" found: each check with its status, what was found and how to fix it. */
export function CheckPanel({ result }: { result: CheckResult }) {
  return (
    <div className={`check-panel ${result.ok ? 'ok' : 'failed'}`} role="status">
      <p>
        <strong>{result.ok ? 'The connection works.' : 'The connection needs attention.'}</strong>
        {result.identity?.name ? ` Connected as ${result.identity.name}.` : ''}
      </p>
      <ul>
        {result.checks.map((check) => (
          <li key={check.name}>
            <StatusBadge status={check.status} /> <strong>{check.name}</strong>: {check.message}
            {check.fix && <div className="fix">How to fix: {check.fix}</div>}
          </li>
        ))}
      </ul>
    </div>
  );
}

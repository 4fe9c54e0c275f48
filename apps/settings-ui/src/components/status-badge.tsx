const TONES: Record<string, string> = {
  active: 'ok',
  succeeded: 'ok',
  pass: 'ok',
  champion: 'ok',
  written: 'ok',
  pending: 'info',
  queued: 'info',
  running: 'info',
  candidate: 'info',
  paused: 'muted',
  retired: 'muted',
  cancelled: 'muted',
  partial: 'warn',
  warn: 'warn',
  needs_reauth: 'warn',
  error: 'bad',
  failed: 'bad',
  fail: 'bad',
  dead: 'bad',
  rejected: 'bad',
};

const LABELS: Record<string, string> = { needs_reauth: 'needs re-auth' };

/** A status in words and colour (the word alone carries the meaning; colour only helps). */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${TONES[status] ?? 'muted'}`}>{LABELS[status] ?? status.replace(/_/g, ' ')}</span>;
}

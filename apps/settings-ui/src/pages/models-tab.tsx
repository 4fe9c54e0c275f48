import { useState } from 'react';
import { api, ApiError } from '../api/admin-api';
import type { Connection, ModelCard, ModelVersion } from '../api/types';
import { AsyncView } from '../components/async-view';
import { formatTime } from '../components/format';
import { CalibrationChart, HistogramChart, RocChart, TopFieldsChart } from '../components/model-charts';
import { useSession } from '../components/session-context';
import { StatusBadge } from '../components/status-badge';
import { useLoad } from '../components/use-load';

const TASK_LABELS: Record<string, string> = {
  'lead-score': 'Lead score',
  'ticket-category': 'Ticket category',
  'escalation-risk': 'Escalation risk',
};
/** What a positive label means per binary task, for the score histogram's legend. */
const POSITIVE_LABELS: Record<string, string> = { 'lead-score': 'converted', 'escalation-risk': 'escalated' };
/** Metrics that are counts, shown without decimals. */
const COUNT_METRICS = new Set(['n', 'positives', 'folds']);
const METRIC_LABELS: Record<string, string> = {
  auc: 'ROC AUC',
  logLoss: 'Log loss',
  brier: 'Brier score',
  ece: 'Calibration error (ECE)',
  accuracy: 'Accuracy',
  macroF1: 'Macro F1',
  n: 'Held-out records',
  positives: 'Positives',
  folds: 'Cross-fitting folds',
  C: 'Regularisation C',
};

export function ModelsTab({ connection }: { connection: Connection }) {
  const state = useLoad(() => api<ModelCard[]>('GET', `/connections/${connection.id}/models`), [connection.id]);
  return (
    <AsyncView state={state} label="models" reserveRows={6} isEmpty={(d) => d.length === 0}>
      {(cards) => (
        <div className="stack">
          {cards.map((card) => (
            <ModelCardView key={card.task} connection={connection} card={card} reload={state.reload} />
          ))}
        </div>
      )}
    </AsyncView>
  );
}

function ModelCardView({ connection, card, reload }: { connection: Connection; card: ModelCard; reload: () => void }) {
  const { canEdit } = useSession();
  const [busy, setBusy] = useState<string>();
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();
  const shown: ModelVersion | undefined = card.champion ?? card.versions[0];

  async function act(label: string, path: string, done: string) {
    setBusy(label);
    setError(undefined);
    try {
      await api('POST', path);
      setMessage(done);
      reload();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <section className="card" aria-labelledby={`model-${card.task}`}>
      <div className="page-head">
        <h2 id={`model-${card.task}`}>{TASK_LABELS[card.task] ?? card.task}</h2>
        {canEdit && (
          <div className="actions wrap">
            <button
              type="button"
              disabled={Boolean(busy)}
              onClick={() =>
                act(
                  'retrain',
                  `/connections/${connection.id}/models/${card.task}/retrain`,
                  'Retraining queued: a new candidate appears here when the worker is done.',
                )
              }
            >
              {busy === 'retrain' ? 'Queuing…' : 'Retrain'}
            </button>
            <button
              type="button"
              disabled={Boolean(busy) || !card.champion}
              onClick={() =>
                act('rollback', `/connections/${connection.id}/models/${card.task}/rollback`, 'Rolled back to the previous version.')
              }
            >
              Roll back
            </button>
          </div>
        )}
      </div>
      <p role="status" className="muted">
        {message ?? ''}
      </p>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      {!shown ? (
        <p className="notice empty">
          No model trained on this connection yet: Fieldcast uses its shipped default until enough history is synced. Use Retrain after the
          first sync.
        </p>
      ) : (
        <>
          <p>
            Version {shown.version} <StatusBadge status={shown.status} /> · trained {formatTime(shown.trainedAt)} on{' '}
            <strong>{shown.trainingRows.toLocaleString()}</strong> records
            {shown.decisionReason ? ` · ${shown.decisionReason}` : ''}
          </p>
          <dl className="metrics">
            {Object.entries(shown.metrics).map(([key, value]) => (
              <div key={key}>
                <dt>{METRIC_LABELS[key] ?? key}</dt>
                <dd>{COUNT_METRICS.has(key) ? value.toLocaleString() : value.toFixed(3)}</dd>
              </div>
            ))}
          </dl>
          <LeakWarning version={shown} />
          <CurvesNote version={shown} />
          <div className="charts">
            {shown.roc && <RocChart points={shown.roc} auc={shown.metrics['auc']} />}
            {shown.calibration && <CalibrationChart bins={shown.calibration} kind={shown.curveKind} />}
            {shown.scoreHistogram && (
              <HistogramChart bins={shown.scoreHistogram} kind={shown.curveKind} positiveLabel={POSITIVE_LABELS[card.task]} />
            )}
            {shown.topFields.length > 0 && <TopFieldsChart fields={shown.topFields} />}
          </div>
          {card.versions.length > 1 && (
            <details>
              <summary>All versions ({card.versions.length})</summary>
              <ul className="versions">
                {card.versions.map((v) => (
                  <li key={v.id}>
                    v{v.version} <StatusBadge status={v.status} /> · {v.trainingRows.toLocaleString()} rows · {formatTime(v.trainedAt)}
                    {v.metrics['auc'] !== undefined ? ` · AUC ${v.metrics['auc'].toFixed(3)}` : ''}
                    {canEdit && v.status !== 'champion' && (
                      <button
                        type="button"
                        disabled={Boolean(busy)}
                        onClick={() =>
                          act(v.id, `/connections/${connection.id}/models/versions/${v.id}/promote`, `Version ${v.version} promoted.`)
                        }
                      >
                        Promote
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
    </section>
  );
}

/** Where the curves come from, and why a category model has no ROC curve. */
function CurvesNote({ version }: { version: ModelVersion }) {
  const hasCurves = Boolean(version.roc || version.calibration || version.scoreHistogram);
  if (!hasCurves) {
    return <p className="muted small">This artifact carries no curves; metrics above are held-out (cross-fitted).</p>;
  }
  const rows = version.curveRows !== null ? ` on ${version.curveRows.toLocaleString()} records` : '';
  return (
    <p className="muted small">
      Curves and metrics are held-out{rows}: each record was scored by a model and calibrator trained without it (cross-fitting).
      {version.curveKind === 'categories' &&
        ' Category models have no ROC curve (it is defined for yes/no answers); the calibration plot shows how often the top category is right at each confidence instead.'}
    </p>
  );
}

/**
 * Real outcomes are never perfectly predictable from what a CRM knows before them: a near-perfect
 * held-out score almost always means a field records the outcome itself (a status set on conversion).
 */
function LeakWarning({ version }: { version: ModelVersion }) {
  const auc = version.metrics['auc'];
  const accuracy = version.metrics['accuracy'];
  const suspicious = auc !== undefined ? auc >= 0.99 : accuracy !== undefined && accuracy >= 0.995;
  if (!suspicious) return null;
  const top = version.topFields[0]?.field;
  return (
    <p className="notice notice-warn" role="note">
      Held-out {auc !== undefined ? `ROC AUC ${auc.toFixed(3)}` : `accuracy ${accuracy!.toFixed(3)}`} is too good to be true: a field
      probably records the outcome itself{top ? ` (most influential: ${top})` : ''}. Check the most influential fields before trusting this
      model.
    </p>
  );
}

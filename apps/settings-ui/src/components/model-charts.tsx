/**
 * Model card charts (recharts): ROC curve, calibration (reliability) plot and score histogram, drawn
 * from the held-out curves the API returns (typed in ../api/types). Axes are named in words, the
 * diagonals are labelled, and each chart has a text alternative. Fixed heights keep the layout still.
 */
import { Bar, BarChart, CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { CalibrationBin, HistogramBin, ModelVersion, RocPoint } from '../api/types';

const ACCENT = '#5b3cc4';
const SECOND = '#c9bff0';
const DIAGONAL = '#9aa4b2';
const MARGIN = { top: 8, right: 12, bottom: 22, left: 4 };

function ChartFrame(props: {
  title: string;
  description: string;
  legend?: Array<{ color: string; label: string }>;
  children: React.ReactElement;
}) {
  return (
    <figure className="chart">
      <figcaption>
        <strong>{props.title}</strong> <span className="muted small">{props.description}</span>
      </figcaption>
      <div className="chart-box" role="img" aria-label={`${props.title}: ${props.description}`}>
        <ResponsiveContainer width="100%" height="100%">
          {props.children}
        </ResponsiveContainer>
      </div>
      {props.legend && (
        <p className="muted small">
          {props.legend.map((item) => (
            <span key={item.label} style={{ marginRight: '1rem', display: 'inline-block', whiteSpace: 'nowrap' }}>
              <span aria-hidden="true" style={{ color: item.color }}>
                ■
              </span>{' '}
              {item.label}
            </span>
          ))}
        </p>
      )}
    </figure>
  );
}

const percent = (v: number) => `${Math.round(v * 100)}%`;
const fixed3 = (value: unknown) => (typeof value === 'number' ? value.toFixed(3) : String(value));

/** A rate axis from 0 to 1 with its name written along it. */
function rateAxis(props: { axis: 'x' | 'y'; label: string; dataKey: string }) {
  return props.axis === 'x' ? (
    <XAxis
      dataKey={props.dataKey}
      type="number"
      domain={[0, 1]}
      ticks={[0, 0.2, 0.4, 0.6, 0.8, 1]}
      tickFormatter={percent}
      tick={{ fontSize: 11 }}
      label={{ value: props.label, position: 'insideBottom', offset: -14 }}
    />
  ) : (
    <YAxis
      dataKey={props.dataKey}
      type="number"
      domain={[0, 1]}
      ticks={[0, 0.2, 0.4, 0.6, 0.8, 1]}
      tickFormatter={percent}
      tick={{ fontSize: 11 }}
      width={56}
      label={{ value: props.label, angle: -90, position: 'insideLeft', offset: 8, style: { textAnchor: 'middle' } }}
    />
  );
}

export function RocChart(props: { points: RocPoint[]; auc?: number }) {
  const area = props.auc !== undefined ? ` (area ${props.auc.toFixed(3)})` : '';
  return (
    <ChartFrame
      title="ROC curve"
      description={`true positive rate vs false positive rate on held-out records${area}; dashed: chance`}
      legend={[
        { color: ACCENT, label: 'model' },
        { color: DIAGONAL, label: 'chance (random order)' },
      ]}
    >
      <LineChart data={props.points} margin={MARGIN}>
        <CartesianGrid strokeDasharray="3 3" />
        {rateAxis({ axis: 'x', label: 'False positive rate', dataKey: 'fpr' })}
        {rateAxis({ axis: 'y', label: 'True positive rate', dataKey: 'tpr' })}
        <Tooltip formatter={fixed3} labelFormatter={(v) => `false positive rate ${fixed3(v)}`} />
        <ReferenceLine
          segment={[
            { x: 0, y: 0 },
            { x: 1, y: 1 },
          ]}
          stroke={DIAGONAL}
          strokeDasharray="4 4"
          ifOverflow="extendDomain"
        />
        <Line dataKey="tpr" name="true positive rate" stroke={ACCENT} strokeWidth={2} dot={false} isAnimationActive={false} />
      </LineChart>
    </ChartFrame>
  );
}

export function CalibrationChart(props: { bins: CalibrationBin[]; kind: ModelVersion['curveKind'] }) {
  const categories = props.kind === 'categories';
  const x = categories ? 'Top-category confidence' : 'Predicted probability';
  const y = categories ? 'Accuracy' : 'Observed rate';
  const data = [...props.bins].sort((a, b) => a.predicted - b.predicted);
  return (
    <ChartFrame
      title="Calibration"
      description={`${y.toLowerCase()} vs ${x.toLowerCase()} per bin on held-out records; dashed: perfectly calibrated`}
      legend={[
        { color: ACCENT, label: 'model (one dot per bin)' },
        { color: DIAGONAL, label: 'perfect calibration' },
      ]}
    >
      <LineChart data={data} margin={MARGIN}>
        <CartesianGrid strokeDasharray="3 3" />
        {rateAxis({ axis: 'x', label: x, dataKey: 'predicted' })}
        {rateAxis({ axis: 'y', label: y, dataKey: 'observed' })}
        <Tooltip
          formatter={(value, _name, item) => {
            const count = (item?.payload as CalibrationBin | undefined)?.count;
            return [`${fixed3(value)}${count !== null && count !== undefined ? ` (${count.toLocaleString()} records)` : ''}`, y];
          }}
          labelFormatter={(v) => `${x.toLowerCase()} ${fixed3(v)}`}
        />
        <ReferenceLine
          segment={[
            { x: 0, y: 0 },
            { x: 1, y: 1 },
          ]}
          stroke={DIAGONAL}
          strokeDasharray="4 4"
          ifOverflow="extendDomain"
        />
        <Line dataKey="observed" name={y} stroke={ACCENT} strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} />
      </LineChart>
    </ChartFrame>
  );
}

function binLabel(bin: HistogramBin, categories: boolean): string {
  const unit = categories ? '%' : '';
  if (bin.end === null) return Number.isInteger(bin.start) ? `${bin.start}${unit}` : bin.start.toFixed(1);
  return `${bin.start}–${bin.end}${unit}`;
}

export function HistogramChart(props: { bins: HistogramBin[]; kind: ModelVersion['curveKind']; positiveLabel?: string }) {
  const categories = props.kind === 'categories';
  const hitKey = categories ? 'correct' : 'positives';
  const split = props.bins.every((b) => b[hitKey] !== null);
  const hitLabel = categories ? 'right category' : (props.positiveLabel ?? 'positive');
  const missLabel = categories ? 'wrong category' : 'negative';
  const data = props.bins.map((b) => {
    const hits = b[hitKey] ?? 0;
    return { label: binLabel(b, categories), hits: split ? hits : b.count, misses: split ? b.count - hits : 0 };
  });
  return (
    <ChartFrame
      title={categories ? 'Confidence distribution' : 'Score distribution'}
      description={
        categories ? 'held-out records per top-category confidence band' : 'held-out records per band of the 1–99 score users see'
      }
      legend={
        split
          ? [
              { color: ACCENT, label: hitLabel },
              { color: SECOND, label: missLabel },
            ]
          : undefined
      }
    >
      <BarChart data={data} margin={MARGIN}>
        <CartesianGrid strokeDasharray="3 3" />
        {/* Ten range labels do not fit side by side in a card column: slanted, all shown. */}
        <XAxis
          dataKey="label"
          interval={0}
          angle={-40}
          textAnchor="end"
          height={44}
          tick={{ fontSize: 10 }}
          label={{ value: categories ? 'Confidence band' : 'Score band (1–99)', position: 'insideBottom', offset: -14 }}
        />
        <YAxis
          allowDecimals={false}
          width={56}
          tick={{ fontSize: 11 }}
          label={{ value: 'Records', angle: -90, position: 'insideLeft', offset: 8, style: { textAnchor: 'middle' } }}
        />
        <Tooltip />
        <Bar dataKey="hits" stackId="n" name={split ? hitLabel : 'records'} fill={ACCENT} isAnimationActive={false} />
        {split && <Bar dataKey="misses" stackId="n" name={missLabel} fill={SECOND} isAnimationActive={false} />}
      </BarChart>
    </ChartFrame>
  );
}

export function TopFieldsChart(props: { fields: Array<{ field: string; importance: number }> }) {
  return (
    <ChartFrame title="Most influential fields" description="mean absolute contribution on the training rows">
      <BarChart data={props.fields} layout="vertical" margin={{ top: 8, right: 12, bottom: 8, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis type="number" />
        <YAxis type="category" dataKey="field" width={130} interval={0} tick={{ fontSize: 11 }} />
        <Tooltip formatter={fixed3} />
        <Bar dataKey="importance" fill="#2f7d5b" isAnimationActive={false} />
      </BarChart>
    </ChartFrame>
  );
}

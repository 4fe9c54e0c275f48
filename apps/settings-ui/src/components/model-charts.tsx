/**
 * Model card charts (recharts): ROC curve, calibration (reliability) plot and score histogram,
 * drawn from whatever point arrays the artifact's metrics carry. Fixed heights keep the layout still.
 */
import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Point } from '../api/types';

function pickKey(points: Point[], preferred: string[], exclude?: string): string | undefined {
  const keys = Object.keys(points[0] ?? {}).filter((k) => k !== exclude && typeof points[0]![k] === 'number');
  return preferred.find((k) => keys.includes(k)) ?? keys[0];
}

function ChartFrame(props: { title: string; description: string; children: React.ReactElement }) {
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
    </figure>
  );
}

export function CurveChart(props: { title: string; description: string; points: Point[]; x: string[]; y: string[]; diagonal?: boolean }) {
  const x = pickKey(props.points, props.x);
  const y = pickKey(props.points, props.y, x);
  if (!x || !y) return null;
  const data = [...props.points].sort((a, b) => (a[x] ?? 0) - (b[x] ?? 0)).map((p) => ({ x: p[x], y: p[y], diagonal: p[x] }));
  return (
    <ChartFrame title={props.title} description={props.description}>
      <LineChart data={data} margin={{ top: 8, right: 12, bottom: 16, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="x" type="number" domain={[0, 1]} tickCount={6} label={{ value: x, position: 'insideBottom', offset: -8 }} />
        <YAxis type="number" domain={[0, 1]} tickCount={6} width={36} />
        <Tooltip formatter={(value) => (typeof value === 'number' ? value.toFixed(3) : String(value))} />
        {props.diagonal && (
          <Line dataKey="diagonal" stroke="#9aa4b2" strokeDasharray="4 4" dot={false} isAnimationActive={false} name="chance / perfect" />
        )}
        <Line dataKey="y" stroke="#5b3cc4" strokeWidth={2} dot={false} isAnimationActive={false} name={y} />
      </LineChart>
    </ChartFrame>
  );
}

export function HistogramChart(props: { points: Point[] }) {
  const x = pickKey(props.points, ['bin', 'start', 'x', 'score', 'lower']);
  const y = pickKey(props.points, ['count', 'n', 'y'], x);
  if (!x || !y) return null;
  const data = props.points.map((p) => ({ bin: p[x], count: p[y] }));
  return (
    <ChartFrame title="Score distribution" description="how many records got each score">
      <BarChart data={data} margin={{ top: 8, right: 12, bottom: 16, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="bin" tickFormatter={(v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1))} />
        <YAxis width={40} />
        <Tooltip />
        <Bar dataKey="count" fill="#5b3cc4" isAnimationActive={false} />
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
        <YAxis type="category" dataKey="field" width={110} />
        <Tooltip formatter={(value) => (typeof value === 'number' ? value.toFixed(3) : String(value))} />
        <Bar dataKey="importance" fill="#2f7d5b" isAnimationActive={false} />
      </BarChart>
    </ChartFrame>
  );
}

// Platt scaling (Platt 1999) with Platt's smoothed targets t+ = (N+ + 1)/(N+ + 2), t− = 1/(N− + 2),
// which keep a perfectly separated calibration set from pushing a → ∞. Two parameters, so Newton's
// method with a step-halving safeguard converges in a handful of iterations.
import { sigmoid } from '../models/logistic-regression.model';

export function fitPlatt(z: ArrayLike<number>, y: ArrayLike<number>): { a: number; b: number } {
  const n = z.length;
  let nPos = 0;
  for (let i = 0; i < n; i += 1) nPos += y[i];
  const tPos = (nPos + 1) / (nPos + 2);
  const tNeg = 1 / (n - nPos + 2);
  const t = new Float64Array(n);
  for (let i = 0; i < n; i += 1) t[i] = y[i] === 1 ? tPos : tNeg;
  const loss = (a: number, b: number): number => {
    let s = 0;
    for (let i = 0; i < n; i += 1) {
      const u = a * z[i] + b;
      // −[t log σ(u) + (1 − t) log(1 − σ(u))] = log(1 + e^u) − t·u, stably.
      s += (u > 0 ? u + Math.log1p(Math.exp(-u)) : Math.log1p(Math.exp(u))) - t[i] * u;
    }
    return s;
  };
  let a = 1;
  let b = Math.log((nPos + 1) / (n - nPos + 1));
  let f = loss(a, b);
  for (let iteration = 0; iteration < 100; iteration += 1) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-12;
    let hab = 0;
    let hbb = 1e-12;
    for (let i = 0; i < n; i += 1) {
      const p = sigmoid(a * z[i] + b);
      const r = p - t[i];
      const w = p * (1 - p);
      ga += r * z[i];
      gb += r;
      haa += w * z[i] * z[i];
      hab += w * z[i];
      hbb += w;
    }
    if (Math.max(Math.abs(ga), Math.abs(gb)) < 1e-10 * n) break;
    const det = haa * hbb - hab * hab;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    let step = 1;
    let improved = false;
    while (step > 1e-10) {
      const fNew = loss(a - step * da, b - step * db);
      if (fNew <= f) {
        a -= step * da;
        b -= step * db;
        improved = f - fNew > 1e-14 * Math.max(1, f);
        f = fNew;
        break;
      }
      step /= 2;
    }
    if (!improved) break;
  }
  return { a, b };
}

export function applyPlatt(z: number, a: number, b: number): number {
  return sigmoid(a * z + b);
}

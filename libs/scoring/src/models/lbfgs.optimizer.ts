// Limited-memory BFGS (Nocedal & Wright, Numerical Optimization, 2nd ed., Alg. 7.4 two-loop
// recursion) with a backtracking Armijo line search. Our objectives are smooth and strictly convex
// (L2-regularised log-loss), so every accepted step has s·y > 0 and Armijo backtracking is enough;
// pairs that fail the curvature test are skipped rather than corrupting the Hessian estimate.
//
// Stopping criterion (the first that holds):
//   'gradient'  ‖∇f‖∞ ≤ gradientTolerance · gradientScale (callers pass Σ sample weights, so the
//               test is on the mean per-row gradient and does not depend on the data size);
//   'function'  (f_prev − f) ≤ functionTolerance · max(|f|, |f_prev|, 1) for 3 iterations running;
//   'max-iterations' or 'line-search' (no decrease possible at machine precision): not converged.

export type Objective = (x: Float64Array, gradient: Float64Array) => number;

export interface LbfgsOptions {
  maxIterations?: number;
  memory?: number;
  gradientTolerance?: number;
  gradientScale?: number;
  functionTolerance?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  reason: 'gradient' | 'function' | 'max-iterations' | 'line-search';
  gradientInfNorm: number;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i += 1) s += a[i] * b[i];
  return s;
}

function infNorm(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i += 1) {
    const v = Math.abs(a[i]);
    if (v > m) m = v;
  }
  return m;
}

export function minimizeLbfgs(objective: Objective, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const maxIterations = options.maxIterations ?? 1000;
  const m = options.memory ?? 10;
  const gtol = (options.gradientTolerance ?? 1e-5) * (options.gradientScale ?? 1);
  const ftol = options.functionTolerance ?? 1e-10;
  const n = x0.length;
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  let f = objective(x, g);
  let evaluations = 1;
  const sHist: Float64Array[] = [];
  const yHist: Float64Array[] = [];
  const rhoHist: number[] = [];
  const alpha = new Float64Array(m);
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  let smallDecreaseRun = 0;
  for (let iteration = 0; iteration < maxIterations; iteration += 1) {
    const gNorm = infNorm(g);
    if (gNorm <= gtol) return { x, f, iterations: iteration, evaluations, converged: true, reason: 'gradient', gradientInfNorm: gNorm };
    // Two-loop recursion: d = −H·g.
    for (let i = 0; i < n; i += 1) d[i] = -g[i];
    const k = sHist.length;
    for (let j = k - 1; j >= 0; j -= 1) {
      alpha[j] = rhoHist[j] * dot(sHist[j], d);
      const y = yHist[j];
      for (let i = 0; i < n; i += 1) d[i] -= alpha[j] * y[i];
    }
    if (k > 0) {
      const gamma = dot(sHist[k - 1], yHist[k - 1]) / dot(yHist[k - 1], yHist[k - 1]);
      for (let i = 0; i < n; i += 1) d[i] *= gamma;
    }
    for (let j = 0; j < k; j += 1) {
      const beta = rhoHist[j] * dot(yHist[j], d);
      const s = sHist[j];
      for (let i = 0; i < n; i += 1) d[i] += (alpha[j] - beta) * s[i];
    }
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Lost descent (numerical trouble): restart from steepest descent.
      sHist.length = 0;
      yHist.length = 0;
      rhoHist.length = 0;
      for (let i = 0; i < n; i += 1) d[i] = -g[i];
      slope = dot(g, d);
    }
    let step = k === 0 ? Math.min(1, 1 / Math.max(gNorm, 1e-12)) : 1;
    let fNew = Infinity;
    let accepted = false;
    for (let tries = 0; tries < 40; tries += 1) {
      for (let i = 0; i < n; i += 1) xNew[i] = x[i] + step * d[i];
      fNew = objective(xNew, gNew);
      evaluations += 1;
      if (Number.isFinite(fNew) && fNew <= f + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) {
      return { x, f, iterations: iteration, evaluations, converged: false, reason: 'line-search', gradientInfNorm: gNorm };
    }
    // Recycle the oldest pair's buffers: with millions of parameters, fresh arrays per iteration
    // would dominate GC time.
    const full = sHist.length === m;
    const s = full ? (sHist.shift() as Float64Array) : new Float64Array(n);
    const y = full ? (yHist.shift() as Float64Array) : new Float64Array(n);
    if (full) rhoHist.shift();
    for (let i = 0; i < n; i += 1) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.max(1, dot(y, y))) {
      sHist.push(s);
      yHist.push(y);
      rhoHist.push(1 / sy);
    }
    const decrease = f - fNew;
    x.set(xNew);
    g.set(gNew);
    const scale = Math.max(Math.abs(f), Math.abs(fNew), 1);
    f = fNew;
    smallDecreaseRun = decrease <= ftol * scale ? smallDecreaseRun + 1 : 0;
    if (smallDecreaseRun >= 3) {
      return { x, f, iterations: iteration + 1, evaluations, converged: true, reason: 'function', gradientInfNorm: infNorm(g) };
    }
  }
  return { x, f, iterations: maxIterations, evaluations, converged: false, reason: 'max-iterations', gradientInfNorm: infNorm(g) };
}

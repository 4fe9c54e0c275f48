// Limited-memory BFGS with a backtracking Armijo line search. Our objectives are smooth and
// strictly convex (L2-regularised log-loss), so every accepted step has s·y > 0 and Armijo
// backtracking is enough; pairs that fail the curvature test are skipped rather than corrupting the
// Hessian estimate.
//
// The search direction uses the compact representation of the L-BFGS matrix (Byrd, Nocedal &
// Schnabel 1994, Thm 2.2; as in L-BFGS-B) instead of the two-loop recursion (Nocedal & Wright,
// Alg. 7.4). Both give the same direction; the compact form needs all history dot products in one
// sweep and the direction in a second, so each history vector is read twice per iteration instead
// of four times with a read-modify-write of the direction each time. With millions of parameters
// (hashed text × classes) those sweeps are memory-bound and were half of the training time.
// History vectors are stored as float32 (half the traffic); every quantity built from them is
// computed from the stored values, so the quasi-Newton matrix stays consistent and positive
// definite (the float32 rounding only perturbs which curvature pairs it remembers).
//
// Optional diagonal preconditioning: the initial matrix is γ·D⁻¹ instead of γ·I (D = a positive
// diagonal Hessian estimate, γ = s·y / yᵀD⁻¹y). This is plain L-BFGS in the rescaled variables
// u = D^½·x, so it reaches the same optimum; it removes the bad scaling between frequent and rare
// sparse columns that otherwise costs many iterations.
//
// Stopping criterion (the first that holds), always on the unscaled gradient:
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
  /** Positive diagonal Hessian estimate (same length as x0): preconditions the search direction. */
  diagonal?: Float64Array;
  /**
   * Recomputes the diagonal at the current point. Called after 20, 60, 140, … iterations (the
   * history is cleared each time, as it was built in the old scaling): the curvature at the start
   * (predictions near the base rates) overstates it near the optimum (confident predictions).
   */
  refreshDiagonal?: (x: Float64Array) => Float64Array;
  /** Called after every accepted step (progress reports, experiments). */
  onIteration?: (iteration: number, f: number, gradientInfNorm: number) => void;
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

/** Sweeps go over the vectors in chunks that stay in L1 while every history vector passes by. */
const CHUNK = 2048;

function infNorm(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i += 1) {
    const v = Math.abs(a[i]);
    if (v > m) m = v;
  }
  return m;
}

/** The remembered pairs (ŝ = D^½·s, ŷ = D^-½·y, oldest first) and their dot products. */
class History {
  readonly s: Float32Array[] = [];
  readonly y: Float32Array[] = [];
  /** Ring order: slot of the j-th oldest pair is order[j]. */
  order: number[] = [];
  /** sy[a·m + b] = ŝ_a·ŷ_b, yy[a·m + b] = ŷ_a·ŷ_b (by slot). */
  readonly sy: Float64Array;
  readonly yy: Float64Array;
  /** Slot of the pair added since the last sweep, whose dot products are still missing. */
  pending = -1;
  /** γ of the initial matrix γ·I while no pair is remembered (1, or carried over a rescaling). */
  gammaWhenEmpty = 1;
  /** One chunk of the scaled gradient / direction being built. */
  readonly scratch = new Float64Array(CHUNK);

  constructor(
    readonly m: number,
    readonly n: number,
  ) {
    this.sy = new Float64Array(m * m);
    this.yy = new Float64Array(m * m);
  }

  get count(): number {
    return this.order.length;
  }

  /** A slot to write the next pair into: a fresh one, or the oldest pair's (which is dropped). */
  claimSlot(): number {
    if (this.s.length < this.m) {
      this.s.push(new Float32Array(this.n));
      this.y.push(new Float32Array(this.n));
      return this.s.length - 1;
    }
    const free = [...Array(this.m).keys()].find((slot) => !this.order.includes(slot));
    if (free !== undefined) return free;
    return this.order.shift() as number;
  }

  reset(): void {
    this.order = [];
    this.pending = -1;
    this.gammaWhenEmpty = 1;
  }
}

/**
 * d = −H·g for the compact L-BFGS matrix H = γI + [Ŝ γŶ]·M·[Ŝ γŶ]ᵀ in the scaled space
 * (ĝ = D^-½·g, d = D^-½·d̂). One sweep computes Ŝᵀĝ, Ŷᵀĝ and the pending pair's dot products, a
 * second writes d.
 */
function direction(history: History, g: Float64Array, invSqrtD: Float64Array, d: Float64Array): void {
  const n = g.length;
  const c = history.count;
  const { order, m } = history;
  const gHat = history.scratch;
  const a = new Float64Array(c);
  const b = new Float64Array(c);
  const pending = history.pending;
  const pendingY = pending >= 0 ? history.y[pending] : undefined;
  const e = new Float64Array(c);
  const f = new Float64Array(c);
  for (let from = 0; from < n; from += CHUNK) {
    const len = Math.min(CHUNK, n - from);
    for (let i = 0; i < len; i += 1) gHat[i] = g[from + i] * invSqrtD[from + i];
    for (let j = 0; j < c; j += 1) {
      const sj = history.s[order[j]];
      const yj = history.y[order[j]];
      let aj = 0;
      let bj = 0;
      if (pendingY) {
        let ej = 0;
        let fj = 0;
        for (let i = 0; i < len; i += 1) {
          const si = sj[from + i];
          const yi = yj[from + i];
          const pi = pendingY[from + i];
          const gi = gHat[i];
          aj += si * gi;
          bj += yi * gi;
          ej += si * pi;
          fj += yi * pi;
        }
        e[j] += ej;
        f[j] += fj;
      } else {
        for (let i = 0; i < len; i += 1) {
          const gi = gHat[i];
          aj += sj[from + i] * gi;
          bj += yj[from + i] * gi;
        }
      }
      a[j] += aj;
      b[j] += bj;
    }
  }
  if (pending >= 0) {
    for (let j = 0; j < c; j += 1) {
      history.sy[order[j] * m + pending] = e[j];
      history.yy[order[j] * m + pending] = f[j];
      history.yy[pending * m + order[j]] = f[j];
    }
    history.pending = -1;
  }
  let gamma = history.gammaWhenEmpty;
  const u = new Float64Array(c);
  const t = new Float64Array(c);
  if (c > 0) {
    const newest = order[c - 1];
    gamma = history.sy[newest * m + newest] / history.yy[newest * m + newest];
    const R = (i: number, j: number): number => history.sy[order[i] * m + order[j]];
    // t = R⁻¹·a (R upper triangular, R_ij = ŝ_i·ŷ_j for i ≤ j, positive diagonal).
    for (let i = c - 1; i >= 0; i -= 1) {
      let v = a[i];
      for (let j = i + 1; j < c; j += 1) v -= R(i, j) * t[j];
      t[i] = v / R(i, i);
    }
    // w = (D_sy + γ·ŶᵀŶ)·t − γ·b, then u = R⁻ᵀ·w.
    const w = new Float64Array(c);
    for (let i = 0; i < c; i += 1) {
      let v = R(i, i) * t[i] - gamma * b[i];
      for (let j = 0; j < c; j += 1) v += gamma * history.yy[order[i] * m + order[j]] * t[j];
      w[i] = v;
    }
    for (let i = 0; i < c; i += 1) {
      let v = w[i];
      for (let j = 0; j < i; j += 1) v -= R(j, i) * u[j];
      u[i] = v / R(i, i);
    }
  }
  // d̂ = −(γ·ĝ + Ŝ·u − γ·Ŷ·t), d = D^-½·d̂.
  for (let from = 0; from < n; from += CHUNK) {
    const len = Math.min(CHUNK, n - from);
    for (let i = 0; i < len; i += 1) gHat[i] = gamma * g[from + i] * invSqrtD[from + i];
    for (let j = 0; j < c; j += 1) {
      const sj = history.s[order[j]];
      const yj = history.y[order[j]];
      const uj = u[j];
      const tj = gamma * t[j];
      for (let i = 0; i < len; i += 1) gHat[i] += uj * sj[from + i] - tj * yj[from + i];
    }
    for (let i = 0; i < len; i += 1) d[from + i] = -gHat[i] * invSqrtD[from + i];
  }
}

export function minimizeLbfgs(objective: Objective, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const maxIterations = options.maxIterations ?? 1000;
  const m = options.memory ?? 10;
  const gtol = (options.gradientTolerance ?? 1e-5) * (options.gradientScale ?? 1);
  const ftol = options.functionTolerance ?? 1e-10;
  const n = x0.length;
  const invSqrtD = new Float64Array(n).fill(1);
  const preconditioned = options.diagonal !== undefined;
  const setDiagonal = (diagonal: Float64Array): void => {
    if (diagonal.length !== n) throw new RangeError(`diagonal has ${diagonal.length} entries, x0 has ${n}`);
    for (let i = 0; i < n; i += 1) {
      const h = diagonal[i];
      invSqrtD[i] = h > 0 && Number.isFinite(h) ? 1 / Math.sqrt(h) : 1;
    }
  };
  if (options.diagonal) setDiagonal(options.diagonal);
  let nextRefresh = 20;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let f = objective(x, g);
  let evaluations = 1;
  const history = new History(m, n);
  const d = new Float64Array(n);
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  let smallDecreaseRun = 0;
  let gNorm = infNorm(g);
  for (let iteration = 0; iteration < maxIterations; iteration += 1) {
    if (gNorm <= gtol) return { x, f, iterations: iteration, evaluations, converged: true, reason: 'gradient', gradientInfNorm: gNorm };
    if (options.refreshDiagonal && iteration === nextRefresh) {
      // The newest pair's y, unscaled, keeps the step length it implied: without it the first
      // step in the new scaling (γ = 1) was 30–60× too long and cost 5–6 halvings.
      const newest = history.count > 0 ? history.order[history.count - 1] : -1;
      const sy = newest >= 0 ? history.sy[newest * m + newest] : 0;
      const y = newest >= 0 ? Float64Array.from(history.y[newest], (v, i) => v / invSqrtD[i]) : undefined;
      setDiagonal(options.refreshDiagonal(x));
      history.reset();
      if (y && sy > 0) {
        let yDy = 0;
        for (let i = 0; i < n; i += 1) yDy += y[i] * y[i] * invSqrtD[i] * invSqrtD[i];
        if (yDy > 0) history.gammaWhenEmpty = sy / yDy;
      }
      nextRefresh = 2 * nextRefresh + 20;
    }
    direction(history, g, invSqrtD, d);
    let slope = 0;
    for (let i = 0; i < n; i += 1) slope += g[i] * d[i];
    if (!(slope < 0)) {
      // Lost descent (numerical trouble): restart from (preconditioned) steepest descent.
      history.reset();
      slope = 0;
      for (let i = 0; i < n; i += 1) {
        d[i] = -g[i] * invSqrtD[i] * invSqrtD[i];
        slope += g[i] * d[i];
      }
    }
    // First step without curvature pairs: the preconditioned direction is already Newton-scaled;
    // the plain gradient is not, so it is cut to a unit step in the largest coordinate.
    let step = history.count === 0 && !preconditioned ? Math.min(1, 1 / Math.max(gNorm, 1e-12)) : 1;
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
    // New pair in scaled space, stored as float32; its dot products use the stored values.
    const slot = history.claimSlot();
    const sHat = history.s[slot];
    const yHat = history.y[slot];
    let sy = 0;
    let yy = 0;
    let newNorm = 0;
    for (let i = 0; i < n; i += 1) {
      const scale = invSqrtD[i];
      sHat[i] = (xNew[i] - x[i]) / scale;
      yHat[i] = (gNew[i] - g[i]) * scale;
      sy += sHat[i] * yHat[i];
      yy += yHat[i] * yHat[i];
      const gi = Math.abs(gNew[i]);
      if (gi > newNorm) newNorm = gi;
    }
    if (sy > 1e-12 * Math.max(1, yy) && yy > 0) {
      history.order.push(slot);
      history.pending = slot;
    }
    const decrease = f - fNew;
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    gNorm = newNorm;
    options.onIteration?.(iteration + 1, fNew, newNorm);
    const scale = Math.max(Math.abs(f), Math.abs(fNew), 1);
    f = fNew;
    smallDecreaseRun = decrease <= ftol * scale ? smallDecreaseRun + 1 : 0;
    if (smallDecreaseRun >= 3) {
      return { x, f, iterations: iteration + 1, evaluations, converged: true, reason: 'function', gradientInfNorm: gNorm };
    }
  }
  return { x, f, iterations: maxIterations, evaluations, converged: false, reason: 'max-iterations', gradientInfNorm: gNorm };
}

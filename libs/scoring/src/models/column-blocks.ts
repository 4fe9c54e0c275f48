// The training matrix as row blocks stored column by column ("blocked CSC"), and the two sparse
// products the logistic objective needs: Z = X·W (forward) and G = Xᵀ·R (backward).
//
// Why: with hashed text the weights are tens of megabytes (columns × classes doubles), and a
// row-by-row pass touches them in random order — every non-zero is a cache miss twice (weights,
// then gradient), which made one objective evaluation ~5× slower than its arithmetic. Going column
// by column inside a block of rows turns the weight and gradient accesses into one ascending sweep,
// and the only random accesses left are into the block's logits, sized to stay in the L2 cache.
// The products are exact (only the summation order differs), so the optimum is unchanged.
//
// The per-class loops are unrolled for 1, 4 and 8 outputs (V8 keeps the unrolled values in
// registers; a generic inner loop over classes measured 2–3× slower). Multinomial models are padded
// to a stride of 4 or a multiple of 8 outputs; the padded entries are constant zeros.
import type { CsrMatrix } from '../features/csr-matrix';

export interface ColumnBlock {
  /** First row of the block and number of rows (≤ 65,536, so row ids fit in 16 bits). */
  firstRow: number;
  nRows: number;
  /** Distinct columns of the block, ascending; entries of column c are colPtr[c] … colPtr[c + 1]. */
  columns: Int32Array;
  colPtr: Int32Array;
  /** Row within the block (ascending inside a column) and value of each entry. */
  rows: Uint16Array;
  values: Float32Array;
}

export interface BlockedMatrix {
  nRows: number;
  nCols: number;
  blocks: ColumnBlock[];
  maxBlockRows: number;
}

/** Output stride used by the kernels for `nOutputs` outputs: 1, 4, or a multiple of 8. */
export function paddedOutputs(nOutputs: number): number {
  if (nOutputs === 1) return 1;
  if (nOutputs <= 4) return 4;
  return Math.ceil(nOutputs / 8) * 8;
}

/** Rows per block so that one block's logits (rows × stride doubles) take about 1 MB. */
export function blockRowsFor(stride: number): number {
  return Math.max(1024, Math.min(65_536, Math.floor(131_072 / stride)));
}

export function toColumnBlocks(X: CsrMatrix, rowsPerBlock: number): BlockedMatrix {
  if (rowsPerBlock < 1 || rowsPerBlock > 65_536) throw new RangeError(`rowsPerBlock must be 1…65536, got ${rowsPerBlock}`);
  const { indptr, indices, values } = X;
  const count = new Int32Array(X.nCols);
  const next = new Int32Array(X.nCols);
  const blocks: ColumnBlock[] = [];
  let maxBlockRows = 0;
  for (let firstRow = 0; firstRow < X.nRows; firstRow += rowsPerBlock) {
    const end = Math.min(X.nRows, firstRow + rowsPerBlock);
    const from = indptr[firstRow];
    const to = indptr[end];
    const seen = new Int32Array(to - from);
    let nColumns = 0;
    for (let p = from; p < to; p += 1) {
      const j = indices[p];
      if (count[j] === 0) seen[nColumns++] = j;
      count[j] += 1;
    }
    const columns = seen.slice(0, nColumns).sort();
    const colPtr = new Int32Array(nColumns + 1);
    for (let c = 0; c < nColumns; c += 1) {
      colPtr[c + 1] = colPtr[c] + count[columns[c]];
      next[columns[c]] = colPtr[c];
    }
    const rows = new Uint16Array(to - from);
    const blockValues = new Float32Array(to - from);
    for (let r = firstRow; r < end; r += 1) {
      for (let p = indptr[r]; p < indptr[r + 1]; p += 1) {
        const q = next[indices[p]]++;
        rows[q] = r - firstRow;
        blockValues[q] = values[p];
      }
    }
    for (let c = 0; c < nColumns; c += 1) count[columns[c]] = 0;
    blocks.push({ firstRow, nRows: end - firstRow, columns, colPtr, rows, values: blockValues });
    maxBlockRows = Math.max(maxBlockRows, end - firstRow);
  }
  return { nRows: X.nRows, nCols: X.nCols, blocks, maxBlockRows };
}

/** Z[r·stride + k] += Σ_c x_rc · W[c·stride + k] for the block's rows (Z is block-local). */
export function forwardBlock(block: ColumnBlock, W: Float64Array, stride: number, Z: Float64Array): void {
  const { columns, colPtr, rows, values } = block;
  if (stride === 1) {
    for (let c = 0; c < columns.length; c += 1) {
      const w = W[columns[c]];
      if (w === 0) continue;
      const end = colPtr[c + 1];
      for (let q = colPtr[c]; q < end; q += 1) Z[rows[q]] += values[q] * w;
    }
    return;
  }
  if (stride === 4) {
    for (let c = 0; c < columns.length; c += 1) {
      const t = columns[c] * 4;
      const w0 = W[t];
      const w1 = W[t + 1];
      const w2 = W[t + 2];
      const w3 = W[t + 3];
      const end = colPtr[c + 1];
      for (let q = colPtr[c]; q < end; q += 1) {
        const v = values[q];
        const o = rows[q] * 4;
        Z[o] += v * w0;
        Z[o + 1] += v * w1;
        Z[o + 2] += v * w2;
        Z[o + 3] += v * w3;
      }
    }
    return;
  }
  for (let k0 = 0; k0 < stride; k0 += 8) {
    for (let c = 0; c < columns.length; c += 1) {
      const t = columns[c] * stride + k0;
      const w0 = W[t];
      const w1 = W[t + 1];
      const w2 = W[t + 2];
      const w3 = W[t + 3];
      const w4 = W[t + 4];
      const w5 = W[t + 5];
      const w6 = W[t + 6];
      const w7 = W[t + 7];
      const end = colPtr[c + 1];
      for (let q = colPtr[c]; q < end; q += 1) {
        const v = values[q];
        const o = rows[q] * stride + k0;
        Z[o] += v * w0;
        Z[o + 1] += v * w1;
        Z[o + 2] += v * w2;
        Z[o + 3] += v * w3;
        Z[o + 4] += v * w4;
        Z[o + 5] += v * w5;
        Z[o + 6] += v * w6;
        Z[o + 7] += v * w7;
      }
    }
  }
}

/**
 * G[c·stride + k] += Σ_r x_rc^power · R[r·stride + k] for the block's rows (power 1: the gradient;
 * power 2: the Hessian diagonal).
 */
export function backwardBlock(block: ColumnBlock, R: Float64Array, stride: number, G: Float64Array, power: 1 | 2 = 1): void {
  const { columns, colPtr, rows } = block;
  let { values } = block;
  if (power === 2) values = Float32Array.from(values, (v) => v * v);
  if (stride === 1) {
    for (let c = 0; c < columns.length; c += 1) {
      let g = 0;
      const end = colPtr[c + 1];
      for (let q = colPtr[c]; q < end; q += 1) g += values[q] * R[rows[q]];
      G[columns[c]] += g;
    }
    return;
  }
  if (stride === 4) {
    for (let c = 0; c < columns.length; c += 1) {
      let g0 = 0;
      let g1 = 0;
      let g2 = 0;
      let g3 = 0;
      const end = colPtr[c + 1];
      for (let q = colPtr[c]; q < end; q += 1) {
        const v = values[q];
        const o = rows[q] * 4;
        g0 += v * R[o];
        g1 += v * R[o + 1];
        g2 += v * R[o + 2];
        g3 += v * R[o + 3];
      }
      const t = columns[c] * 4;
      G[t] += g0;
      G[t + 1] += g1;
      G[t + 2] += g2;
      G[t + 3] += g3;
    }
    return;
  }
  for (let k0 = 0; k0 < stride; k0 += 8) {
    for (let c = 0; c < columns.length; c += 1) {
      let g0 = 0;
      let g1 = 0;
      let g2 = 0;
      let g3 = 0;
      let g4 = 0;
      let g5 = 0;
      let g6 = 0;
      let g7 = 0;
      const end = colPtr[c + 1];
      for (let q = colPtr[c]; q < end; q += 1) {
        const v = values[q];
        const o = rows[q] * stride + k0;
        g0 += v * R[o];
        g1 += v * R[o + 1];
        g2 += v * R[o + 2];
        g3 += v * R[o + 3];
        g4 += v * R[o + 4];
        g5 += v * R[o + 5];
        g6 += v * R[o + 6];
        g7 += v * R[o + 7];
      }
      const t = columns[c] * stride + k0;
      G[t] += g0;
      G[t + 1] += g1;
      G[t + 2] += g2;
      G[t + 3] += g3;
      G[t + 4] += g4;
      G[t + 5] += g5;
      G[t + 6] += g6;
      G[t + 7] += g7;
    }
  }
}

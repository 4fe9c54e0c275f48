// Compressed sparse rows: the one matrix format the trainer and predictor share. Float32 values
// halve memory traffic; the optimiser keeps its own state in Float64.

export interface CsrMatrix {
  nRows: number;
  nCols: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/** Appends rows one at a time without knowing the final non-zero count. */
export class CsrBuilder {
  private indices = new Int32Array(1024);
  private values = new Float32Array(1024);
  private readonly indptr: number[] = [0];
  private nnz = 0;

  constructor(private readonly nCols: number) {}

  appendRow(indices: Int32Array, values: Float32Array, count: number): void {
    if (this.nnz + count > this.indices.length) {
      let capacity = this.indices.length * 2;
      while (capacity < this.nnz + count) capacity *= 2;
      const grownIndices = new Int32Array(capacity);
      grownIndices.set(this.indices.subarray(0, this.nnz));
      const grownValues = new Float32Array(capacity);
      grownValues.set(this.values.subarray(0, this.nnz));
      this.indices = grownIndices;
      this.values = grownValues;
    }
    this.indices.set(indices.subarray(0, count), this.nnz);
    this.values.set(values.subarray(0, count), this.nnz);
    this.nnz += count;
    this.indptr.push(this.nnz);
  }

  build(): CsrMatrix {
    return {
      nRows: this.indptr.length - 1,
      nCols: this.nCols,
      indptr: Int32Array.from(this.indptr),
      indices: this.indices.slice(0, this.nnz),
      values: this.values.slice(0, this.nnz),
    };
  }
}

/** The rows `rowIds` of `matrix`, in that order (fold splits, bootstrap resamples). */
export function selectRows(matrix: CsrMatrix, rowIds: ArrayLike<number>): CsrMatrix {
  let nnz = 0;
  for (let r = 0; r < rowIds.length; r += 1) nnz += matrix.indptr[rowIds[r] + 1] - matrix.indptr[rowIds[r]];
  const indptr = new Int32Array(rowIds.length + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let at = 0;
  for (let r = 0; r < rowIds.length; r += 1) {
    const from = matrix.indptr[rowIds[r]];
    const to = matrix.indptr[rowIds[r] + 1];
    indices.set(matrix.indices.subarray(from, to), at);
    values.set(matrix.values.subarray(from, to), at);
    at += to - from;
    indptr[r + 1] = at;
  }
  return { nRows: rowIds.length, nCols: matrix.nCols, indptr, indices, values };
}

// Typed arrays inside JSON as little-endian base64: a 2^18-bucket text model stays a few MB of
// JSON instead of tens of MB of decimal numbers, and decoding is a memcpy.

function toBase64(array: Float32Array | Int32Array | Uint16Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

function fromBase64(text: string): ArrayBuffer {
  const bytes = Buffer.from(text, 'base64');
  // Copy into a fresh, aligned ArrayBuffer (Buffer slices may share an unaligned pool).
  const out = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(out).set(bytes);
  return out;
}

export function packFloat32(array: ArrayLike<number>): string {
  return toBase64(Float32Array.from(array));
}
export function unpackFloat32(text: string): Float32Array {
  return new Float32Array(fromBase64(text));
}
export function packInt32(array: ArrayLike<number>): string {
  return toBase64(Int32Array.from(array));
}
export function unpackInt32(text: string): Int32Array {
  return new Int32Array(fromBase64(text));
}

/** Non-negative values quantised to 16 bits with one scale (idf: error < max/65535). */
export interface QuantizedArray {
  scale: number;
  data: string;
}
export function packQuantized(array: ArrayLike<number>): QuantizedArray {
  let max = 0;
  for (let i = 0; i < array.length; i += 1) max = Math.max(max, array[i]);
  const scale = max > 0 ? 65535 / max : 1;
  const q = new Uint16Array(array.length);
  for (let i = 0; i < array.length; i += 1) q[i] = Math.round(array[i] * scale);
  return { scale, data: toBase64(q) };
}
export function unpackQuantized(packed: QuantizedArray): Float32Array {
  const q = new Uint16Array(fromBase64(packed.data));
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i += 1) out[i] = q[i] / packed.scale;
  return out;
}

/** Rows of an nFeatures × nOutputs matrix whose largest |value| is above a threshold; the rest are 0. */
export interface PackedSparseRows {
  nRows: number;
  nCols: number;
  rows: string;
  values: string;
}

/** Keeps rows with max |w| > pruneBelow and, if maxRows is set, only the maxRows largest of those. */
export function packSparseRows(dense: Float64Array, nRows: number, nCols: number, pruneBelow = 0, maxRows?: number): PackedSparseRows {
  if (maxRows !== undefined) {
    const magnitude = new Float64Array(nRows);
    for (let r = 0; r < nRows; r += 1) {
      for (let c = 0; c < nCols; c += 1) magnitude[r] = Math.max(magnitude[r], Math.abs(dense[r * nCols + c]));
    }
    const sorted = Float64Array.from(magnitude).sort().reverse();
    if (maxRows < nRows) pruneBelow = Math.max(pruneBelow, sorted[maxRows]);
  }
  const rows: number[] = [];
  const values: number[] = [];
  for (let r = 0; r < nRows; r += 1) {
    let max = 0;
    for (let c = 0; c < nCols; c += 1) max = Math.max(max, Math.abs(dense[r * nCols + c]));
    if (max > pruneBelow) {
      rows.push(r);
      for (let c = 0; c < nCols; c += 1) values.push(dense[r * nCols + c]);
    }
  }
  return { nRows, nCols, rows: packInt32(rows), values: packFloat32(values) };
}

export function unpackSparseRows(packed: PackedSparseRows): Float32Array {
  const out = new Float32Array(packed.nRows * packed.nCols);
  const rows = unpackInt32(packed.rows);
  const values = unpackFloat32(packed.values);
  for (let i = 0; i < rows.length; i += 1) out.set(values.subarray(i * packed.nCols, (i + 1) * packed.nCols), rows[i] * packed.nCols);
  return out;
}

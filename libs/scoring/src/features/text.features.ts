// Text → hashed, TF-IDF weighted word uni/bi-grams and character n-grams (sklearn's char_wb style:
// n-grams inside " word " with the spaces, so prefixes and suffixes are features of their own).
// Everything happens in one scan over the string with no per-token string allocation, because
// featurisation, not the dot product, dominates inference time for tickets.
import { FNV_OFFSET, combineHashes, fmix32, fnvStep } from './hashing';

export interface TextFeatureConfig {
  /** log2 of the hash space for this field. */
  hashBits: number;
  wordNgrams: 1 | 2;
  /** Character n-gram range; [0, 0] disables them. */
  charNgrams: [number, number];
  /** Words longer than this contribute only their first maxWordLength characters to char n-grams. */
  maxWordLength: number;
  /**
   * false: every term weighs 1 instead of its smooth idf (the artifact then stores an idf of ones,
   * so prediction needs nothing new). Absent in artifacts from before the option existed.
   */
  idf?: boolean;
  /**
   * false: a term's count enters as is instead of 1 + ln(count) (before idf and the l2 norm).
   * Absent means sublinear, the behaviour of every artifact from before the option existed.
   */
  sublinearTf?: boolean;
}

export const DEFAULT_TEXT_CONFIG: TextFeatureConfig = {
  hashBits: 18,
  wordNgrams: 2,
  charNgrams: [0, 0],
  maxWordLength: 24,
};

const WORD_SEED = FNV_OFFSET;
const CHAR_SEED = 0x2f3c6a1d;
const SPACE = 32;

function isTokenCode(code: number): boolean {
  if (code < 128) {
    return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90);
  }
  // Non-ASCII: letters of every script count; the common punctuation and space blocks do not.
  return !(
    code === 0xa0 ||
    (code >= 0x2000 && code <= 0x206f) ||
    (code >= 0x3000 && code <= 0x303f) ||
    code === 0xfeff ||
    code === 0xd7 ||
    (code >= 0xa1 && code <= 0xbf)
  );
}

/** Receives (bucket, start, end, kind) for every n-gram; names are only materialised on demand. */
export type NgramSink = (bucket: number, start: number, end: number, kind: 'word' | 'bigram' | 'char') => void;

/**
 * Scans lower-cased `text` and emits every hashed n-gram. `start`/`end` index into `text` so an
 * explainer can recover the n-gram string; bigrams span from the first word's start.
 */
export function scanText(text: string, config: TextFeatureConfig, sink: NgramSink): void {
  const mask = (1 << config.hashBits) - 1;
  const [minN, maxN] = config.charNgrams;
  const useChars = minN > 0 && maxN >= minN;
  const len = text.length;
  let prevHash = 0;
  let prevStart = -1;
  let i = 0;
  while (i < len) {
    while (i < len && !isTokenCode(text.charCodeAt(i))) i += 1;
    if (i >= len) break;
    const start = i;
    let h = WORD_SEED;
    while (i < len) {
      const code = text.charCodeAt(i);
      if (!isTokenCode(code)) break;
      h = fnvStep(h, code);
      i += 1;
    }
    const end = i;
    const wordHash = fmix32(h);
    sink(wordHash & mask, start, end, 'word');
    if (config.wordNgrams === 2 && prevStart >= 0) {
      sink(combineHashes(prevHash, wordHash) & mask, prevStart, end, 'bigram');
    }
    prevHash = wordHash;
    prevStart = start;
    if (useChars) {
      const wordLen = Math.min(end - start, config.maxWordLength);
      const paddedLen = wordLen + 2;
      for (let s = 0; s + minN <= paddedLen; s += 1) {
        let ch = CHAR_SEED;
        const stop = Math.min(s + maxN, paddedLen);
        for (let j = s; j < stop; j += 1) {
          const code = j === 0 || j === paddedLen - 1 ? SPACE : text.charCodeAt(start + j - 1);
          ch = fnvStep(ch, code);
          if (j - s + 1 >= minN) sink(fmix32(ch) & mask, start + s - 1, start + j, 'char');
        }
      }
    }
  }
}

/**
 * Reusable accumulator for one document's term frequencies. A dense scratch array plus a touched
 * list makes dedup O(nnz) without a Map; one instance per field per compiled model. It also keeps,
 * per touched bucket, where the bucket's first word / bigram is in the lower-cased text, so an
 * explanation can name the n-grams of the row without scanning the text again.
 */
export class TermCounter {
  readonly counts: Float64Array;
  readonly touched: Int32Array;
  size = 0;
  /** The lower-cased text counted last. */
  text = '';
  /** Per touched slot: [start, end) of its first word / bigram in `text`, or start −1 (char n-grams only). */
  spanStart = new Int32Array(64);
  spanEnd = new Int32Array(64);
  /** bucket → touched slot; only needed (and allocated) once character n-grams are counted. */
  private slotOf: Int32Array | undefined;

  constructor(private readonly buckets: number) {
    this.counts = new Float64Array(buckets);
    this.touched = new Int32Array(buckets);
  }

  add(bucket: number, start = -1, end = -1, named = false): void {
    if (this.counts[bucket] === 0) {
      const slot = this.size;
      this.touched[slot] = bucket;
      if (slot >= this.spanStart.length) {
        this.spanStart = doubled(this.spanStart);
        this.spanEnd = doubled(this.spanEnd);
      }
      this.spanStart[slot] = named ? start : -1;
      this.spanEnd[slot] = end;
      if (!named) {
        this.slotOf ??= new Int32Array(this.buckets);
      }
      if (this.slotOf) this.slotOf[bucket] = slot;
      this.size += 1;
    } else if (named && this.slotOf) {
      // First touched by a character n-gram: name the bucket after its first word / bigram.
      const slot = this.slotOf[bucket];
      if (this.spanStart[slot] < 0) {
        this.spanStart[slot] = start;
        this.spanEnd[slot] = end;
      }
    }
    this.counts[bucket] += 1;
  }

  reset(): void {
    for (let t = 0; t < this.size; t += 1) this.counts[this.touched[t]] = 0;
    this.size = 0;
    this.text = '';
  }
}

/** A copy twice as long (the rest zero). */
function doubled(array: Int32Array): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(array.length * 2);
  grown.set(array);
  return grown;
}

export function countTerms(text: string, config: TextFeatureConfig, counter: TermCounter): void {
  counter.reset();
  const lower = text.toLowerCase();
  counter.text = lower;
  scanText(lower, config, (bucket, start, end, kind) => counter.add(bucket, start, end, kind !== 'char'));
}

/** sklearn's smooth idf: ln((1 + n) / (1 + df)) + 1. */
export function smoothIdf(nDocs: number, df: Float64Array): Float32Array {
  const idf = new Float32Array(df.length);
  for (let b = 0; b < df.length; b += 1) idf[b] = Math.log((1 + nDocs) / (1 + df[b])) + 1;
  return idf;
}

/**
 * Writes the tf × idf, l2-normalised vector of the counted terms into (indices, values) at `offset`,
 * shifting bucket ids by `columnOffset`; tf is 1 + ln(count) unless `weighting.sublinearTf` is false
 * (then the raw count, as fastText's bag of words). Returns the number of entries written.
 */
export function writeTfidf(
  counter: TermCounter,
  idf: Float32Array,
  columnOffset: number,
  indices: Int32Array,
  values: Float32Array,
  offset: number,
  weighting: Pick<TextFeatureConfig, 'sublinearTf'> = {},
): number {
  const sublinear = weighting.sublinearTf !== false;
  let norm = 0;
  for (let t = 0; t < counter.size; t += 1) {
    const b = counter.touched[t];
    const count = counter.counts[b];
    const v = (sublinear ? 1 + Math.log(count) : count) * idf[b];
    values[offset + t] = v;
    norm += v * v;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let t = 0; t < counter.size; t += 1) {
    indices[offset + t] = columnOffset + counter.touched[t];
    values[offset + t] *= scale;
  }
  return counter.size;
}

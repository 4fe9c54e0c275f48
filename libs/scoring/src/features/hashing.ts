// Feature hashing primitives. FNV-1a over UTF-16 code units is cheap enough to run incrementally
// (one multiply per character, which char n-grams need) and the murmur3 finaliser fixes its weak
// low bits before we take a bucket modulo a power of two.

export const FNV_OFFSET = 0x811c9dc5;

export function fnvStep(hash: number, code: number): number {
  return Math.imul(hash ^ code, 0x01000193);
}

/** MurmurHash3 fmix32: full avalanche so `h & mask` is uniform. */
export function fmix32(input: number): number {
  let h = input;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Order-sensitive combination of two token hashes (word bigrams). */
export function combineHashes(a: number, b: number): number {
  return fmix32(Math.imul(a, 0x9e3779b1) ^ b ^ 0x7f4a7c15);
}

export function hashString(text: string, seed = FNV_OFFSET): number {
  let h = seed;
  for (let i = 0; i < text.length; i += 1) h = fnvStep(h, text.charCodeAt(i));
  return fmix32(h);
}

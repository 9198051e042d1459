/**
 * Deterministic randomness for the emulator: a seeded PRNG and the id formats the platform uses.
 *
 * Everything random the emulator does (generated ids, fault decisions) flows from seeded generators, so a test
 * that fixes the seed sees the same ids and the same faults on every run.
 *
 * @module
 */

/** A random source returning floats in [0, 1). */
export type Random = () => number;

/**
 * mulberry32: a tiny 32-bit PRNG. Statistically good enough for ids and fault sampling, and its whole state
 * is one integer, so derived streams are cheap.
 */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed from the operating system's CSPRNG, for emulators whose ids must not collide across processes. */
export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0];
}

/** An integer in [0, bound). */
export function randomInt(random: Random, bound: number): number {
  return Math.floor(random() * bound);
}

/** A version-4 UUID drawn from the given source. */
export function randomUuid(random: Random): string {
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = randomInt(random, 256);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A random base62 string of the given length (filter-segment uids are 11 characters). */
export function randomBase62(random: Random, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += BASE62[randomInt(random, 62)];
  return out;
}

/** True for a canonical 8-4-4-4-12 hexadecimal UUID, whatever its version. */
export function isUuid(value: string): boolean {
  return /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(value);
}

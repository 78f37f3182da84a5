import { createHash } from 'node:crypto'

/**
 * A job id that is a function of what identifies the work: the first bits of SHA-256 over the parts,
 * laid out as an RFC 9562 version 8 (custom) UUID. It has the shape of every other job id (the
 * status API accepts UUIDs) and is a valid execution name (36 characters, hex and `-`).
 */
export const jobIdFor = (...parts: readonly string[]): string => {
  // JSON keeps the parts apart: ('a', 'bc') and ('ab', 'c') hash differently.
  const bytes = createHash('sha256').update(JSON.stringify(parts)).digest().subarray(0, 16)
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-')
}

/**
 * Lookup tables for the single passes of the text steps. A `\p{…}` regex per character costs ~20×
 * a typed-array lookup per UTF-16 unit, and the steps see every character of texts up to 256 MB.
 * The tables are filled from the same Unicode property regexes the rules are written in, so they
 * follow the runtime's Unicode version exactly and nothing is typed in by hand.
 */

let everyBmpUnit: string | undefined

/** All 65,536 UTF-16 units in order (the surrogates' entries are cleared after matching). */
const bmp = (): string => {
  if (everyBmpUnit === undefined) {
    const units = new Uint16Array(0x10000)
    for (let unit = 0; unit < units.length; unit++) units[unit] = unit
    // Built in slices: String.fromCharCode takes its units as arguments, and engines cap those.
    let text = ''
    for (let at = 0; at < units.length; at += 0x2000)
      text += String.fromCharCode(...units.subarray(at, at + 0x2000))
    everyBmpUnit = text
  }
  return everyBmpUnit
}

/**
 * A table over the Basic Multilingual Plane: entry `unit` has `bit` set for each `[regex, bit]`
 * whose regex matches that unit alone. Regexes need the `g` flag; matching runs keeps it ~1 ms.
 * Surrogate entries (U+D800–DFFF) are always 0: only a pair means a character, and the passes
 * decode pairs themselves.
 */
export const bmpTable = (marks: readonly (readonly [RegExp, number])[]): Uint16Array => {
  const table = new Uint16Array(0x10000)
  const text = bmp()
  for (const [regex, bit] of marks) {
    const runs = new RegExp(`(?:${regex.source})+`, regex.flags)
    for (const match of text.matchAll(runs))
      for (let at = match.index; at < match.index + match[0].length; at++) table[at]! |= bit
  }
  return table.fill(0, 0xd800, 0xe000)
}

/** Outputs up to this many units reuse one buffer; a larger (whole-file) text gets its own. */
const SCRATCH_UNITS = 1 << 20
let scratch = new Uint16Array(64 * 1024)

/** A buffer for a pass's output of at most `units` UTF-16 units. Read it back with `unitsToString`. */
export const outputBuffer = (units: number): Uint16Array => {
  if (units > SCRATCH_UNITS) return new Uint16Array(units)
  if (scratch.length < units) scratch = new Uint16Array(Math.max(units, scratch.length * 2))
  return scratch
}

/**
 * The first `length` units of `buffer` as a string (a copy: the buffer can be reused at once).
 * Uint16Array is in the platform's byte order, little-endian on every Node.js target (x86-64,
 * arm64), so its bytes are UTF-16LE; Node copies them as they are, lone surrogates included (a
 * TextDecoder would turn those into U+FFFD), and faster than a TextDecoder.
 */
export const unitsToString = (buffer: Uint16Array, length: number): string =>
  length === 0 ? '' : Buffer.from(buffer.buffer, buffer.byteOffset, length * 2).toString('utf16le')

import { unitsToString } from './char-table'

/**
 * Which characters make `normalize('NFC')` necessary. A text in which every character has
 * NFC_Quick_Check=Yes and canonical combining class 0 is already in NFC (UAX #15, quick check),
 * and most text is written that way; the normaliser's own check costs as much as the rest of
 * strip's pass, so strip skips it for such text. JavaScript exposes neither property: they are
 * derived here from the runtime's normaliser, so they follow its Unicode version. A character
 * counts as unstable when
 * - NFC changes it (NFC_Quick_Check=No),
 * - it is a later part of a canonical decomposition, so it may compose with what precedes it
 *   (NFC_Quick_Check=Maybe: combining marks, Hangul vowel and final jamo), or
 * - canonical reordering moves it past a mark of class 232 or one of class 1 (class ≠ 0).
 * Taking too many only costs speed; a test checks that none is missed.
 */

// U+0000 between the probes: a starter that composes with nothing, so each is normalised alone.
const SEPARATOR = 0
const separated = (probes: readonly string[]) => probes.join('\u0000')

/**
 * Characters normalised per call. Probes of the whole BMP at once (~250 KB, and its NFC and NFD)
 * outlived young-generation collections, and V8 grows its new space for good by what survives
 * them: with the other start-up work, to twice the size a text step needs, ~2 MB of RSS kept for
 * the process's life. Blocks this size die young.
 */
const BLOCK = 0x800

/**
 * The BMP code units (never a surrogate) of the characters that are not NFC-stable. Runs once per
 * process: three normalisations of each block of BMP characters side by side and plain scans over them.
 */
export const nfcUnstableBmp = (): number[] => {
  const unstable: number[] = []
  const units = new Uint16Array(BLOCK)
  // Each character followed by the separator, built as units (no string per character).
  const probeUnits = new Uint16Array(BLOCK * 2)
  for (let first = 1; first < 0x10000; first += BLOCK) {
    let count = 0
    for (let unit = first; unit < Math.min(first + BLOCK, 0x10000); unit++)
      if (unit < 0xd800 || unit > 0xdfff) {
        probeUnits[2 * count] = unit
        units[count++] = unit
      }
    if (count) collectUnstable(units.subarray(0, count), unitsToString(probeUnits, 2 * count - 1), unstable)
  }
  return unstable
}

/** Adds to `unstable` those of `units` (BMP, no surrogate; `probes` holds them separated) that are not NFC-stable. */
const collectUnstable = (units: Uint16Array, probes: string, unstable: number[]) => {
  // NFC of each character: where a piece is not the character itself, NFC changes it.
  const composed = probes.normalize('NFC')
  for (let at = 0, piece = 0; piece < units.length; piece++) {
    const end = composed.indexOf('\u0000', at)
    const stop = end < 0 ? composed.length : end
    if (stop - at !== 1 || composed.charCodeAt(at) !== units[piece]) unstable.push(units[piece]!)
    at = stop + 1
  }
  // NFD: every unit of a piece after its first character may compose with what precedes it.
  const decomposed = probes.normalize('NFD')
  for (let at = 0, start = true; at < decomposed.length; at++) {
    const unit = decomposed.charCodeAt(at)
    if (unit === SEPARATOR) start = true
    else if (start) {
      start = false
      if (unit >= 0xd800 && unit < 0xdc00) at++
    } else if (unit < 0xd800 || unit > 0xdfff) unstable.push(unit)
  }
  // Canonical reordering: a mark of class 1 or 232 beside it changes places unless its class is 0.
  const marks = probes.match(/\p{M}/gu) ?? []
  const afterHigh = separated(marks.map((mark) => `a\u0315${mark}`))
  const beforeLow = separated(marks.map((mark) => `a${mark}\u0334`))
  const movedHigh = afterHigh.normalize('NFD').split('\u0000')
  const movedLow = beforeLow.normalize('NFD').split('\u0000')
  for (const [at, mark] of marks.entries())
    if (movedHigh[at] !== `a\u0315${mark}` || movedLow[at] !== `a${mark}\u0334`)
      unstable.push(mark.charCodeAt(0))
}

/**
 * Outside the BMP, only emoji (with their modifiers, tags and flags), ideographs and format or
 * private-use characters count as stable, unless NFC changes them: everything else there is rare,
 * and some scripts compose there too (Kirat Rai vowel signs are letters, not marks).
 */
const ASTRAL_STABLE = /^[\p{Extended_Pictographic}\p{Emoji_Component}\p{Ideographic}\p{Cf}\p{Co}]$/u

/** For one character outside the BMP. */
export const isNfcUnstableAstral = (char: string): boolean =>
  !ASTRAL_STABLE.test(char) || char.normalize('NFC') !== char

import type { InputFormat } from './limits'

/**
 * Magic numbers of image formats libvips (as shipped with sharp) cannot decode, so that a BMP is
 * reported as an unsupported format rather than as "not an image". Offsets and bytes are from
 * each format's specification.
 */
const unsupportedSignatures: readonly { name: string; offset: number; bytes: readonly number[] }[] = [
  { name: 'bmp', offset: 0, bytes: [0x42, 0x4d] },
  { name: 'ico', offset: 0, bytes: [0x00, 0x00, 0x01, 0x00] },
  { name: 'psd', offset: 0, bytes: [0x38, 0x42, 0x50, 0x53] },
  { name: 'jpeg-xl', offset: 0, bytes: [0xff, 0x0a] },
  { name: 'jpeg-xl', offset: 4, bytes: [0x4a, 0x58, 0x4c, 0x20] },
  { name: 'jpeg-2000', offset: 4, bytes: [0x6a, 0x50, 0x20, 0x20] },
  { name: 'heic', offset: 4, bytes: [0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63] },
  { name: 'heic', offset: 4, bytes: [0x66, 0x74, 0x79, 0x70, 0x6d, 0x69, 0x66, 0x31] },
]

/**
 * Magic numbers of the formats this package decodes, checked before any libvips loader sees the
 * bytes: libvips picks its loader by content, so without this an SVG (librsvg, external entities)
 * or a TIFF would reach a decoder we never meant to expose.
 */
const decodableSignatures: readonly { format: InputFormat; offset: number; bytes: readonly number[] }[] = [
  { format: 'jpeg', offset: 0, bytes: [0xff, 0xd8, 0xff] },
  { format: 'png', offset: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { format: 'gif', offset: 0, bytes: [0x47, 0x49, 0x46, 0x38, 0x37, 0x61] },
  { format: 'gif', offset: 0, bytes: [0x47, 0x49, 0x46, 0x38, 0x39, 0x61] },
  { format: 'tiff', offset: 0, bytes: [0x49, 0x49, 0x2a, 0x00] },
  { format: 'tiff', offset: 0, bytes: [0x4d, 0x4d, 0x00, 0x2a] },
]

const ascii = (text: string): number[] => [...text].map((char) => char.charCodeAt(0))

const matches = (input: Uint8Array, offset: number, bytes: readonly number[]): boolean =>
  input.length >= offset + bytes.length && bytes.every((byte, index) => input[offset + index] === byte)

/** The format the bytes announce by their magic number (RIFF/WEBP and ISO-BMFF `ftyp` included), or undefined. */
export const sniffFormat = (input: Uint8Array): InputFormat | undefined => {
  const simple = decodableSignatures.find(({ offset, bytes }) => matches(input, offset, bytes))
  if (simple) return simple.format
  if (matches(input, 0, ascii('RIFF')) && matches(input, 8, ascii('WEBP'))) return 'webp'
  // AVIF is an ISO-BMFF file whose major brand is avif (still) or avis (sequence); sharp says `heif`.
  if (matches(input, 4, ascii('ftypavif')) || matches(input, 4, ascii('ftypavis'))) return 'heif'
  return undefined
}

/** Names a known-but-unsupported image format, or undefined. */
export const sniffUnsupportedFormat = (input: Uint8Array): string | undefined => {
  const binary = unsupportedSignatures.find(({ offset, bytes }) => matches(input, offset, bytes))?.name
  if (binary) return binary
  // SVG is text: an XML declaration, a doctype or the root element after optional BOM/whitespace.
  const head = new TextDecoder('utf-8', { fatal: false })
    .decode(input.subarray(0, 512))
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase()
  return /^(<\?xml|<svg|<!doctype svg)/.test(head) ? 'svg' : undefined
}

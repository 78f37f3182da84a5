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

const matches = (input: Uint8Array, offset: number, bytes: readonly number[]): boolean =>
  input.length >= offset + bytes.length && bytes.every((byte, index) => input[offset + index] === byte)

/** Names a known-but-unsupported image format, or undefined. */
export const sniffUnsupportedFormat = (input: Uint8Array): string | undefined =>
  unsupportedSignatures.find(({ offset, bytes }) => matches(input, offset, bytes))?.name

/** Formats sharp's prebuilt libvips decodes, as `metadata().format` names them (`heif` = AVIF). */
export type InputFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'heif' | 'tiff' | 'svg'
export type OutputFormat = 'jpeg' | 'webp' | 'png' | 'avif'

/** Guards applied before any pixel is decoded. */
export interface ImageLimits {
  /** Byte cap on the encoded input. */
  readonly maxInputBytes: number
  /** Pixel cap (width × height as declared in the header): the decompression-bomb guard. */
  readonly maxInputPixels: number
  /** libvips aborts the pipeline after this many seconds (integer, 1–3600). */
  readonly timeoutSeconds: number
  /** Input formats accepted; everything else is `unsupported-format`. */
  readonly formats: readonly InputFormat[]
}

/**
 * Defaults for untrusted uploads. 100 MP covers every phone and most DSLRs (a 24 MP JPEG decodes
 * to ~72 MB of RGB, 100 MP to ~300 MB, both within a 1–2 GB Lambda); 50 MiB is above any
 * camera JPEG. SVG is refused: it can reference external resources and carries script.
 */
export const defaultLimits: ImageLimits = {
  maxInputBytes: 50 * 1024 * 1024,
  maxInputPixels: 100_000_000,
  timeoutSeconds: 10,
  formats: ['jpeg', 'png', 'webp', 'gif', 'heif', 'tiff'],
}

export const contentTypes: Readonly<Record<OutputFormat, string>> = {
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  png: 'image/png',
  avif: 'image/avif',
}

export const fileExtensions: Readonly<Record<OutputFormat, string>> = {
  jpeg: 'jpg',
  webp: 'webp',
  png: 'png',
  avif: 'avif',
}

/**
 * Image processing for the whole repo (libvips through sharp), with safe defaults for untrusted
 * uploads. Used by the thumbnailer (S3 → SNS → SQS) and the photo workflow (Step Functions).
 * Every failure is an `ImageError` with a `code` and `retryable`.
 */
export { DEFAULT_QUALITY, type EncodedImage, type EncodeOptions } from './encode'
export { ImageError, type ImageErrorCode, isImageError, toImageError } from './errors'
export { type ImageInfo, readImageInfo } from './info'
export {
  contentTypes,
  defaultLimits,
  fileExtensions,
  type ImageLimits,
  type InputFormat,
  type OutputFormat,
} from './limits'
export { allowOnlyDecoders } from './open'
export { sniffFormat, sniffUnsupportedFormat } from './sniff'
export { makeThumbnail, makeThumbnails, type ThumbnailOptions, type Thumbnails } from './thumbnail'
export { type ImageStep, transformImage } from './transform'

import { UPLOAD_FORMATS } from '@app/domain/photos'
import { allowOnlyDecoders, defaultLimits } from '@app/images'
import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { createS3Client } from '@app/runtime/s3'
import { dynamoPhotoRecords } from '../../adapters/dynamodb'
import { sharpImaging } from '../../adapters/imaging'
import { s3PhotoSource, s3ThumbnailStore } from '../../adapters/s3'
import { makeThumbnailsConfigSchema } from '../../config'
import { makeThumbnailsConsumer } from './consumer'

const config = readConfig(makeThumbnailsConfigSchema)
const s3 = createS3Client(config)
// Only the formats blog-site's allow-list signs: every other libvips loader (TIFF, SVG...) is blocked.
allowOnlyDecoders(UPLOAD_FORMATS)

/** `makeThumbnails`: photo queue (S3 → SNS → SQS) → thumbnails in the thumbnails bucket + the photo item ready/failed. */
export const handler = makeThumbnailsConsumer({
  source: s3PhotoSource(s3),
  store: s3ThumbnailStore(s3, config.THUMBNAILS_BUCKET),
  records: dynamoPhotoRecords(createDocumentClient(config), config.PHOTOS_TABLE),
  imaging: sharpImaging({
    ...defaultLimits,
    formats: UPLOAD_FORMATS,
    maxInputBytes: config.MAX_INPUT_BYTES,
    maxInputPixels: config.MAX_INPUT_PIXELS,
    timeoutSeconds: config.PROCESSING_TIMEOUT_SECONDS,
  }),
  clock: { now: () => new Date() },
  settings: {
    widths: config.THUMBNAIL_WIDTHS,
    format: config.THUMBNAIL_FORMAT,
    quality: config.THUMBNAIL_QUALITY,
    maxInputBytes: config.MAX_INPUT_BYTES,
  },
  uploadsBucket: config.UPLOADS_BUCKET,
  maxReceiveCount: config.MAX_RECEIVE_COUNT,
})

import { createMakeThumbnailsHandler } from './create-handler'

/** `makeThumbnails`: photo queue (S3 → SNS → SQS) → thumbnails in the thumbnails bucket + the photo item ready/failed. */
export const handler = createMakeThumbnailsHandler(process.env)

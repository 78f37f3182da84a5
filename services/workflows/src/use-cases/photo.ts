import { NotFoundError, ValidationError } from '@app/domain'
import { fileExtensions, type ImageStep, readImageInfo, transformImage } from '@app/images'
import { extractMetadata } from '@app/images/operations/metadata'
import type { PhotoStore } from '../ports'
import type { BranchResult, PhotoJobInput, PhotoJobState } from './photo-states'

/** Longest side of the resized rendition. */
export const RESIZED_MAX_PX = 1024
/** Side of the square crop rendition. */
export const CROP_PX = 512

const outputKey = (jobId: string, name: string, extension: string) => `photos/${jobId}/${name}.${extension}`

const readPhoto = async (store: PhotoStore, source: PhotoJobInput['source']): Promise<Uint8Array> => {
  const bytes = await store.read(source)
  if (!bytes) throw new NotFoundError(`No photo at s3://${source.bucket}/${source.key}`)
  return bytes
}

/** First state: the photo must be in the uploads bucket under photos/, and a supported image within limits. */
export const processPhoto = async (
  job: PhotoJobInput,
  store: PhotoStore,
  uploadsBucket: string,
): Promise<PhotoJobState> => {
  if (job.source.bucket !== uploadsBucket)
    throw new ValidationError('Photos are read only from the blog uploads bucket', [
      { pointer: '/input/source/bucket', detail: `must be ${uploadsBucket}` },
    ])
  const info = await readImageInfo(await readPhoto(store, job.source))
  return { ...job, info }
}

export const extractMetadataBranch = async (job: PhotoJobState, store: PhotoStore): Promise<BranchResult> => {
  const metadata = await extractMetadata(await readPhoto(store, job.source))
  const key = await store.write(
    outputKey(job.jobId, 'metadata', 'json'),
    Buffer.from(JSON.stringify(metadata)),
    'application/json',
  )
  return { branch: 'metadata', key, metadata: { ...metadata } }
}

const renditionBranch = async (
  job: PhotoJobState,
  store: PhotoStore,
  name: 'resized' | 'greyscale' | 'cropped',
  steps: readonly ImageStep[],
  format: 'webp' | 'jpeg',
): Promise<BranchResult> => {
  const image = await transformImage(await readPhoto(store, job.source), steps, { format })
  const key = await store.write(
    outputKey(job.jobId, name, fileExtensions[format]),
    image.data,
    image.contentType,
  )
  const { width, height, contentType, bytes } = image
  return { branch: name, rendition: { key, width, height, format, contentType, bytes } }
}

/** Adjust Image Size: fits the photo in RESIZED_MAX_PX², never enlarging, as WebP. */
export const adjustImageSize = (job: PhotoJobState, store: PhotoStore) =>
  renditionBranch(
    job,
    store,
    'resized',
    [{ op: 'resize', width: RESIZED_MAX_PX, height: RESIZED_MAX_PX }],
    'webp',
  )

/** Update Color Channel: a single-channel (greyscale) rendition. */
export const updateColorChannel = (job: PhotoJobState, store: PhotoStore) =>
  renditionBranch(job, store, 'greyscale', [{ op: 'greyscale' }], 'jpeg')

/** The largest centred square of the displayed (EXIF-oriented) photo. */
export const centredSquare = (width: number, height: number) => {
  const side = Math.min(width, height)
  return {
    left: Math.floor((width - side) / 2),
    top: Math.floor((height - side) / 2),
    width: side,
    height: side,
  }
}

/** Crop Image: the centred square, scaled down to at most CROP_PX. */
export const cropImage = (job: PhotoJobState, store: PhotoStore) =>
  renditionBranch(
    job,
    store,
    'cropped',
    [
      { op: 'crop', ...centredSquare(job.info.width, job.info.height) },
      { op: 'resize', width: CROP_PX, height: CROP_PX },
    ],
    'jpeg',
  )

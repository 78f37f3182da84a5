import { NotFoundError, ValidationError } from '@app/domain'
import { fileExtensions, type ImageStep, readImageInfo, transformImage } from '@app/images'
import { extractMetadata } from '@app/images/operations/metadata'
import { z } from 'zod'
import type { PhotoStore } from '../ports'

/** What the photo pipeline's first state accepts. */
export const photoJobInput = z.strictObject({
  jobId: z.string().regex(/^[A-Za-z0-9-_]{1,80}$/, 'letters, digits, - and _ only (it names the execution)'),
  owner: z.string().min(1).max(128),
  source: z.strictObject({
    bucket: z.string().min(3).max(63),
    key: z
      .string()
      .min(1)
      .max(1024)
      .refine((key) => key.startsWith('photos/') && !key.includes('..'), 'must be a key under photos/'),
  }),
})
export type PhotoJobInput = z.output<typeof photoJobInput>

const imageInfo = z.object({
  format: z.string(),
  width: z.number().int().min(1),
  height: z.number().int().min(1),
  orientation: z.number().int(),
  hasAlpha: z.boolean(),
  bytes: z.number().int().min(1),
  pages: z.number().int().min(1),
})

/** The state after Process Photo: the validated job plus the photo's header facts. */
export const photoJobState = z.object({
  jobId: z.string().min(1),
  owner: z.string().min(1),
  source: z.object({ bucket: z.string().min(1), key: z.string().min(1) }),
  info: imageInfo,
})
export type PhotoJobState = z.output<typeof photoJobState>

const rendition = z.object({
  key: z.string().min(1),
  width: z.number().int().min(1),
  height: z.number().int().min(1),
  format: z.string(),
  contentType: z.string(),
  bytes: z.number().int().min(1),
})
export type Rendition = z.output<typeof rendition>

/** Each branch's output, tagged, so Store in DB can check that every branch contributed. */
export const branchResult = z.discriminatedUnion('branch', [
  z.object({ branch: z.literal('metadata'), key: z.string(), metadata: z.record(z.string(), z.unknown()) }),
  z.object({ branch: z.literal('resized'), rendition }),
  z.object({ branch: z.literal('greyscale'), rendition }),
  z.object({ branch: z.literal('cropped'), rendition }),
])
export type BranchResult = z.output<typeof branchResult>

export const storePhotoInput = photoJobState.extend({ branches: z.array(branchResult).length(4) })

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

/** Store in DB's view of the branches: one entry each, whatever order they arrive in. */
export const photoResult = (state: z.output<typeof storePhotoInput>) => {
  const find = <B extends BranchResult['branch']>(branch: B) => {
    const found = state.branches.find((result) => result.branch === branch)
    if (!found) throw new ValidationError(`The ${branch} branch produced no result`)
    return found as Extract<BranchResult, { branch: B }>
  }
  return {
    source: state.source,
    info: state.info,
    metadata: { key: find('metadata').key, ...find('metadata').metadata },
    renditions: {
      resized: find('resized').rendition,
      greyscale: find('greyscale').rendition,
      cropped: find('cropped').rendition,
    },
  }
}

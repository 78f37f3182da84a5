/**
 * The photo pipeline's states as zod schemas, and Store in DB's reading of them: apart from photo.ts
 * because Store in DB loads no image code. Importing photo.ts (and so @app/images) would put an
 * `import "sharp"` in its bundle, loaded at cold start and shipped in its zip.
 */
import { ValidationError } from '@app/domain'
import { z } from 'zod'

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

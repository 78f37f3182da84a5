import type { PhotoUploadEvent } from '@app/domain/photos'
import type { JobPorts } from '../ports'
import { jobIdFor } from './job-ids'
import { startJob } from './jobs'
import { photoJobInput } from './photo-states'

/**
 * The owner of jobs an upload starts. Not a Cognito sub (those are UUIDs), so no caller of the
 * status API sees them as theirs; the jobs table holds their results like any other job's.
 */
export const UPLOAD_JOB_OWNER = 'blog-site:photo-uploaded'

export type UploadOutcome =
  | { readonly status: 'started' | 'duplicate'; readonly jobId: string }
  | { readonly status: 'ignored'; readonly reason: 'other-bucket' | 'unusable-key' }

/**
 * The job of one uploaded photo: named by the upload itself (key, ETag and S3's sequencer, unique
 * per write of a key), so every delivery of the same event finds the same job and the photo
 * pipeline runs once per upload; a new upload of the same key is a new job. Events this pipeline
 * can never process (another bucket, a key its first state refuses) are ignored: retrying cannot
 * change them.
 */
export const startUploadedPhotoJob = async (
  ports: JobPorts,
  upload: PhotoUploadEvent,
  uploadsBucket: string,
): Promise<UploadOutcome> => {
  if (upload.bucket !== uploadsBucket) return { status: 'ignored', reason: 'other-bucket' }
  const source = photoJobInput.shape.source.safeParse({ bucket: upload.bucket, key: upload.key })
  if (!source.success) return { status: 'ignored', reason: 'unusable-key' }
  const jobId = jobIdFor('photo', upload.bucket, upload.key, upload.etag, upload.sequencer)
  const { started } = await startJob(
    ports,
    'photo',
    UPLOAD_JOB_OWNER,
    async () => ({ source: source.data }),
    {
      jobId,
      origin: { bucket: upload.bucket, key: upload.key, etag: upload.etag, sequencer: upload.sequencer },
    },
  )
  return { status: started ? 'started' : 'duplicate', jobId }
}

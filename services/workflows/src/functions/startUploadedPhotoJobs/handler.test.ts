import { sqsEvent, sqsRecord } from '@app/runtime/testing'
import { StartExecutionCommand } from '@aws-sdk/client-sfn'
import { PutCommand } from '@aws-sdk/lib-dynamodb'
import { describe, expect, it } from 'vitest'
import { ENV, handlerUnderTest } from '../../testing/functions'
import { UPLOAD_JOB_OWNER } from '../../use-cases/photo-uploads'

const { aws, invoke } = await handlerUnderTest('startUploadedPhotoJobs', () => import('./handler'))

/** A raw S3 event (no SNS envelope) for one object created in `bucket`. */
const upload = (bucket: string, key: string) =>
  sqsRecord(
    JSON.stringify({
      Records: [
        {
          eventSource: 'aws:s3',
          eventName: 'ObjectCreated:Put',
          s3: {
            bucket: { name: bucket },
            object: { key, size: 1, eTag: 'd41d8cd98f00b204e9800998ecf8427e', sequencer: '0066A1B2C3' },
          },
        },
      ],
    }),
  )

describe('startUploadedPhotoJobs handler', () => {
  it('starts the configured photo machine on an upload of the configured bucket, its job in the configured table', async () => {
    aws.sfn.on(StartExecutionCommand).resolves({ executionArn: `${ENV.PHOTO_STATE_MACHINE_ARN}:x` })
    const result = await invoke(sqsEvent([upload(ENV.UPLOADS_BUCKET, 'photos/a.jpg')]))
    expect(result.batchItemFailures).toEqual([])
    expect(aws.db.commandCalls(PutCommand)[0]?.args[0].input).toMatchObject({
      TableName: ENV.JOBS_TABLE,
      Item: { owner: UPLOAD_JOB_OWNER, workflow: 'photo' },
    })
    const [start] = aws.sfn.commandCalls(StartExecutionCommand)
    expect(start?.args[0].input.stateMachineArn).toBe(ENV.PHOTO_STATE_MACHINE_ARN)
    expect(JSON.parse(start?.args[0].input.input ?? '{}')).toMatchObject({
      source: { bucket: ENV.UPLOADS_BUCKET, key: 'photos/a.jpg' },
    })
  })

  it('starts nothing for an upload of another bucket', async () => {
    const result = await invoke(sqsEvent([upload(`not-${ENV.UPLOADS_BUCKET}`, 'photos/a.jpg')]))
    expect(result.batchItemFailures).toEqual([])
    expect(aws.sfn.commandCalls(StartExecutionCommand)).toEqual([])
  })
})

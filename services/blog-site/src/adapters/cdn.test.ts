import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront'
import { mockClient } from 'aws-sdk-client-mock'
import { afterEach, describe, expect, it } from 'vitest'
import { cloudFrontCdn } from './cdn'

const cloudFront = mockClient(CloudFrontClient)
afterEach(() => cloudFront.reset())

describe('CloudFront invalidation', () => {
  it('invalidates the given paths with a unique caller reference', async () => {
    cloudFront.on(CreateInvalidationCommand).resolves({})
    const cdn = cloudFrontCdn(new CloudFrontClient({ region: 'us-east-1' }), 'E2EXAMPLE123')
    await cdn.invalidate(['/api/posts', '/api/posts/a'])
    await cdn.invalidate(['/api/posts'])
    const calls = cloudFront.commandCalls(CreateInvalidationCommand).map((call) => call.args[0].input)
    expect(calls[0]).toMatchObject({
      DistributionId: 'E2EXAMPLE123',
      InvalidationBatch: { Paths: { Quantity: 2, Items: ['/api/posts', '/api/posts/a'] } },
    })
    expect(calls[0]?.InvalidationBatch?.CallerReference).not.toBe(
      calls[1]?.InvalidationBatch?.CallerReference,
    )
  })

  it('does not fail the write when CloudFront refuses (fault injected)', async () => {
    cloudFront.on(CreateInvalidationCommand).rejects(new Error('TooManyInvalidationsInProgress'))
    const cdn = cloudFrontCdn(new CloudFrontClient({ region: 'us-east-1' }), 'E2EXAMPLE123')
    await expect(cdn.invalidate(['/api/posts'])).resolves.toBeUndefined()
  })
})

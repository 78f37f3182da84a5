import { randomUUID } from 'node:crypto'
import { ConfigError } from '@app/runtime/config'
import { logger } from '@app/runtime/observability'
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront'
import type { Cdn } from '../ports'

/**
 * Drops cached API answers from the distribution after a write. A failed invalidation is logged,
 * not thrown: the write is stored, and the short `s-maxage` of the API bounds how long the CDN
 * can serve the old answer anyway.
 */
export const cloudFrontCdn = (cloudFront: CloudFrontClient, distributionId: string): Cdn => ({
  async invalidate(paths) {
    try {
      await cloudFront.send(
        new CreateInvalidationCommand({
          DistributionId: distributionId,
          InvalidationBatch: {
            CallerReference: randomUUID(),
            Paths: { Quantity: paths.length, Items: [...paths] },
          },
        }),
      )
    } catch (error) {
      logger.error('CDN invalidation failed; cached answers expire with their s-maxage', {
        error: error as Error,
        paths,
      })
    }
  },
})

/** `pnpm dev` has no CDN in front of the API: there is nothing cached to drop. */
export const noCdn: Cdn = { invalidate: async () => {} }

/** The CDN of this deployment, chosen once at cold start; a deployed function without one fails fast. */
export const cdnFor = (config: {
  DISTRIBUTION_ID?: string | undefined
  IS_OFFLINE?: 'true' | undefined
}): Cdn => {
  if (config.IS_OFFLINE) return noCdn
  if (!config.DISTRIBUTION_ID || !/^[A-Z0-9]{8,32}$/.test(config.DISTRIBUTION_ID))
    throw new ConfigError(
      ['DISTRIBUTION_ID'],
      'DISTRIBUTION_ID must be the id of the CloudFront distribution',
    )
  return cloudFrontCdn(new CloudFrontClient({}), config.DISTRIBUTION_ID)
}

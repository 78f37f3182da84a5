import type { Resources } from './cfn'

/** The framework's deployment bucket gets Block Public Access (it has none by default). */
export const hardenDeploymentBucket = (resources: Resources): void => {
  const bucket = resources.ServerlessDeploymentBucket
  if (!bucket) return
  bucket.Properties = {
    ...bucket.Properties,
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    },
  }
}

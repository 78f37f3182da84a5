'use strict'
/**
 * Replicas of the posts global table: the deploy region plus `param:postsReplicaRegions`
 * (comma-separated, may be empty). CloudFormation cannot map a list into objects, hence this file.
 * Every replica gets point-in-time recovery.
 */
module.exports = async ({ resolveVariable }) => {
  const region = await resolveVariable('self:provider.region')
  const extra = String((await resolveVariable('param:postsReplicaRegions')) ?? '')
  const regions = [region, ...extra.split(',').map((name) => name.trim())].filter(Boolean)
  return [...new Set(regions)].map((Region) => ({
    Region,
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
  }))
}

'use strict'
/**
 * After `sls deploy`: builds the static site and publishes it to the stack's site bucket (with the
 * studio's settings, `custom.site.studio`), then
 * invalidates the HTML at the edge (hashed assets never need it). The work is in site/publish.ts,
 * which `pnpm dev` uses too (against s3rver), so the objects and their headers are the same.
 */
const { spawnSync } = require('node:child_process')
const { join } = require('node:path')

class SiteDeploy {
  constructor(serverless, options) {
    this.serverless = serverless
    this.options = options
    this.provider = serverless.getProvider('aws')
    this.hooks = { 'after:deploy:deploy': () => this.publish() }
  }

  async publish() {
    const stackName = this.provider.naming.getStackName()
    const { Stacks } = await this.provider.request('CloudFormation', 'describeStacks', {
      StackName: stackName,
    })
    const outputs = Object.fromEntries((Stacks[0].Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]))
    const serviceDir = this.serverless.serviceDir
    const studio = this.serverless.service.custom.site.studio
    const run = spawnSync(
      'pnpm',
      [
        'exec',
        'tsx',
        join(serviceDir, 'site', 'publish.ts'),
        '--bucket',
        outputs.SiteBucketName,
        '--distribution',
        outputs.DistributionId,
        '--region',
        this.provider.getRegion(),
        // The studio's settings (custom.site.studio): the pool's app client and the realtime URL.
        '--user-pool-client-id',
        studio.userPoolClientId,
        ...(studio.realtimeUrl ? ['--realtime-url', studio.realtimeUrl] : []),
      ],
      { cwd: serviceDir, stdio: 'inherit' },
    )
    if (run.status !== 0) throw new Error('Publishing the site failed (see above)')
    this.serverless.cli.log(`Site published: ${outputs.SiteUrl}`)
  }
}

module.exports = SiteDeploy

/**
 * The zips `sls package` makes for this service: the image steps carry sharp built for the
 * linux-arm64 they declare (the shared esbuild block's install, checked with the same helper as the
 * thumbnailer's zip), every other function carries no sharp at all.
 *
 * Needs the npm registry (sharp for linux-arm64 is installed into the zips), so it runs in the
 * `packaging` vitest project (PACKAGING_TESTS in packages/local-cloud/src/vitest-project.ts).
 */
import type { CfnTemplate } from '@app/cloudformation'
import { expectSharpForLambda, zipHasSharp } from '@app/images/lambda-zip'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type PackagedService, packageServiceArtifacts } from './support'

/** Stand-ins for the upstream outputs, as compose would pass them after todo-api's and blog-site's deploys. */
const params: Record<string, string> = {
  userPoolId: 'us-east-1_TestPool1',
  userPoolClientId: 'testclientid0123456789',
  uploadsBucketName: 'blog-site-test-uploads-123456789012-us-east-1',
  photoUploadedTopicArn: 'arn:aws:sns:us-east-1:123456789012:blog-site-test-photo-uploaded',
}

/** The photo pipeline's steps that load sharp (through @app/images). */
const IMAGE_FUNCTIONS = [
  'processPhoto',
  'extractMetadata',
  'adjustImageSize',
  'updateColorChannel',
  'cropImage',
]

let packaged: PackagedService
let template: CfnTemplate

beforeAll(async () => {
  packaged = await packageServiceArtifacts('test', params)
  template = packaged.template
  // ~1 min normally (sls + esbuild + two npm installs); generous because CI machines are shared.
}, 600_000)

afterAll(() => packaged?.dispose())

/** serverless.yml's function keys with their Lambda resources. */
const lambdaFunctions = () =>
  Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
    .map(([id, resource]) => ({
      key: id.replace(/LambdaFunction$/, '').replace(/^./, (first) => first.toLowerCase()),
      properties: resource.Properties as { Architectures?: string[]; Runtime?: string },
    }))

describe('the image functions', () => {
  it('are declared for arm64, like every function of the service', () => {
    const functions = lambdaFunctions()
    expect(functions.map(({ key }) => key)).toEqual(expect.arrayContaining(IMAGE_FUNCTIONS))
    for (const { key, properties } of functions) {
      expect(properties.Architectures, key).toEqual(['arm64'])
      expect(properties.Runtime, key).toBe('nodejs22.x')
    }
  })

  it.each(IMAGE_FUNCTIONS)(
    '%s ships sharp built for linux-arm64, imported rather than bundled',
    async (key) => {
      await expectSharpForLambda(packaged.zip(key), {
        handler: `src/functions/${key}/handler.mjs`,
        architecture: 'arm64',
      })
    },
  )

  it('are the only ones with sharp in their zip', async () => {
    const others = lambdaFunctions().filter(({ key }) => !IMAGE_FUNCTIONS.includes(key))
    expect(others.length).toBeGreaterThan(0)
    const withSharp: string[] = []
    for (const { key } of others) if (await zipHasSharp(packaged.zip(key))) withSharp.push(key)
    expect(withSharp).toEqual([])
  })
})

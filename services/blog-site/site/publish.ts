/**
 * Publishes the built site to a bucket with the headers CloudFront and browsers cache by:
 * content-hashed assets for a year (`immutable`), pages briefly. Used after `sls deploy` (the
 * site-deploy plugin; then the pages are invalidated at the edge) and by `pnpm dev` (s3rver).
 * Assets go up before pages, so a page never names an asset that is not there yet.
 */
import { readFileSync } from 'node:fs'
import { extname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront'
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { buildSite } from './build'
import { STUDIO_CONFIG_PATH, type StudioConfig, studioConfigSchema } from './src/studio/config'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
}

export const CACHE_CONTROL = {
  hashed: 'public, max-age=31536000, immutable',
  page: 'public, max-age=60, s-maxage=300',
} as const

/** The object metadata of one site file. */
export const objectHeadersFor = (file: string) => ({
  contentType: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
  cacheControl: file.startsWith('assets/') ? CACHE_CONTROL.hashed : CACHE_CONTROL.page,
})

/** Pages at the edge after a publish (the function maps /, /posts/* to these objects). */
export const PAGE_PATHS = [
  '/',
  '/index.html',
  '/post.html',
  '/404.html',
  '/posts/*',
  '/studio/*',
  '/robots.txt',
  '/favicon.svg',
]

/**
 * Builds and uploads the site, with the studio's runtime settings (`studio/config.json`, validated
 * here so a stage never publishes settings the page would refuse).
 */
export const publishSite = async (s3: S3Client, bucket: string, studio: StudioConfig): Promise<string[]> => {
  const site = await buildSite()
  const studioConfig = JSON.stringify(studioConfigSchema.parse(studio))
  const configKey = STUDIO_CONFIG_PATH.slice(1)
  const ordered = [
    ...site.files.filter((file) => file.startsWith('assets/')),
    ...site.files.filter((file) => !file.startsWith('assets/')),
    configKey,
  ]
  for (const file of ordered) {
    const { contentType, cacheControl } = objectHeadersFor(file)
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: file,
        Body: file === configKey ? studioConfig : readFileSync(join(site.outDir, file)),
        ContentType: contentType,
        CacheControl: cacheControl,
        // The viewer-response function turns this into the page's status (cloudfront/viewer-response.js).
        ...(file === '404.html' ? { Metadata: { 'http-status': '404' } } : {}),
      }),
    )
  }
  return ordered
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      bucket: { type: 'string' },
      distribution: { type: 'string' },
      region: { type: 'string' },
      'user-pool-client-id': { type: 'string' },
      'realtime-url': { type: 'string' },
    },
  })
  const clientId = values['user-pool-client-id']
  if (!values.bucket || !values.distribution || !values.region || !clientId)
    throw new Error(
      'usage: publish.ts --bucket <site bucket> --distribution <id> --region <region> --user-pool-client-id <id> [--realtime-url <wss://...>]',
    )
  const files = await publishSite(new S3Client({ region: values.region }), values.bucket, {
    region: values.region,
    userPoolClientId: clientId,
    cognitoEndpoint: `https://cognito-idp.${values.region}.amazonaws.com/`,
    realtimeUrl: values['realtime-url'] || null,
  })
  await new CloudFrontClient({ region: values.region }).send(
    new CreateInvalidationCommand({
      DistributionId: values.distribution,
      InvalidationBatch: {
        CallerReference: `site-${Date.now()}`,
        Paths: { Quantity: PAGE_PATHS.length, Items: PAGE_PATHS },
      },
    }),
  )
  console.log(`Published ${files.length} files to s3://${values.bucket}; pages invalidated`)
}

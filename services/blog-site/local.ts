/**
 * blog-site under `pnpm dev` (see packages/local-cloud/src/service.ts): publishes the built site
 * to its s3rver bucket, serves it through a local stand-in of the CloudFront distribution (same
 * URL function, same security headers; /api to serverless-offline, /media/thumbnails to its bucket;
 * as in serverless/cdn.yml, the uploads bucket (originals with their EXIF) is no origin),
 * and seeds a few posts.
 */

import { type CfnResource, evaluate } from '@app/cloudformation'
import { ConflictError } from '@app/domain'
import { defineLocalService, type LocalCloud } from '@app/local-cloud'
import { localClients } from '@app/local-cloud/clients'
import { localSecret, resolveSecretReferences } from '@app/local-cloud/secrets'
import { PutBucketCorsCommand } from '@aws-sdk/client-s3'
import { loadViewerRequest, loadViewerResponse } from './cloudfront/load'
import { startEdge } from './site/edge'
import { publishSite } from './site/publish'
import { securityHeaders, studioSecurityHeaders } from './site/security-headers'
import { seedPosts } from './site/seed-posts'
import type { StudioConfig } from './site/src/studio/config'
import { dynamoPostsRepository } from './src/adapters/dynamodb'

const NAME = 'blog-site'
/** serverless-offline ports of `pnpm dev`; tests get free ones. */
const OFFLINE = { httpPort: 3002, lambdaPort: 3102 }
/** Where a person opens the blog under `pnpm dev`. */
const SITE_PORT = 3000

const output = (cloud: LocalCloud, name: string): string => {
  const value = cloud.outputs[NAME]?.[name]
  if (!value) throw new Error(`blog-site: output ${name} is missing from the local cloud`)
  return value
}

let siteUrl: string | undefined

/**
 * The studio's settings on this local cloud: the foundation pool's app client on cognito-local, and
 * services/realtime's WebSocket when it runs (serverless-offline's WebSocket port, the URL realtime's
 * local.ts gives as its `realtime` endpoint; endpoints are only gathered after every wire).
 */
const studioConfig = (cloud: LocalCloud): StudioConfig => {
  const websocketPort = cloud.offline.realtime?.websocketPort
  return {
    region: cloud.region,
    userPoolClientId: cloud.endpoints.cognito.clientId,
    cognitoEndpoint: cloud.endpoints.cognito.endpoint,
    realtimeUrl: websocketPort ? `ws://127.0.0.1:${websocketPort}` : null,
  }
}

/** Where the functions' presigned URLs point: their S3 endpoint, the AWS gateway (s3rver itself with IAM off). */
const uploadsOrigin = (cloud: LocalCloud): string =>
  new URL(cloud.endpoints.awsGateway ?? cloud.endpoints.s3).origin

/**
 * The uploads bucket's CORS rules from serverless.yml (media.yml), for the local site's origin:
 * in AWS they name the distribution's domain, which has no local equivalent but the edge's URL.
 */
const allowStudioUploads = async (
  cloud: LocalCloud,
  s3: ReturnType<typeof localClients>['s3'],
  origin: string,
) => {
  const bucket = cloud.config(NAME)?.resources?.Resources?.UploadsBucket
  const rules = (
    bucket?.Properties?.CorsConfiguration as { CorsRules?: Record<string, unknown>[] } | undefined
  )?.CorsRules
  if (!rules?.length) throw new Error('blog-site: UploadsBucket has no CorsConfiguration in serverless.yml')
  await s3.send(
    new PutBucketCorsCommand({
      Bucket: output(cloud, 'UploadsBucketName'),
      CORSConfiguration: {
        CORSRules: rules.map((rule) => ({
          AllowedMethods: rule.AllowedMethods as string[],
          AllowedHeaders: rule.AllowedHeaders as string[],
          AllowedOrigins: [origin],
          MaxAgeSeconds: rule.MaxAge as number,
        })),
      },
    }),
  )
}

const originSecretName = (stage: string) => `${NAME}/${stage}/origin-verify-secret`
/**
 * The origin secret's local SecretString (no Secrets Manager locally): shaped as its
 * GenerateSecretString makes it, the value derived from the secret's name. The functions get it
 * whole; the local edge sends its `current`, as the distribution does.
 */
export const localOriginSecretString = (stage: string) =>
  JSON.stringify({ current: localSecret(originSecretName(stage)) })

/**
 * The custom headers of the distribution's `api` origin (serverless/cdn.yml), evaluated from the
 * resolved template as CloudFormation would at deploy, with the local secret values: the local
 * edge adds what CloudFront adds, from the same definition.
 */
const apiOriginHeaders = (cloud: LocalCloud): Record<string, string> => {
  const template = cloud.config(NAME)?.resources
  const resources: Record<string, CfnResource> = template?.Resources ?? {}
  const distribution = resources.SiteDistribution?.Properties?.DistributionConfig as
    | { Origins?: { Id: string; OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[] }[] }
    | undefined
  const origin = distribution?.Origins?.find((candidate) => candidate.Id === 'api')
  if (!origin) throw new Error('blog-site: the resolved template has no api origin on SiteDistribution')
  const context = {
    region: cloud.region,
    accountId: '000000000000',
    conditions: template?.Conditions ?? {},
    // A secret's Ref is its ARN in AWS; its name names it as well in a dynamic reference.
    ref: (id: string) =>
      resources[id]?.Type === 'AWS::SecretsManager::Secret' ? resources[id]?.Properties?.Name : undefined,
  }
  const secrets: Record<string, string> = {
    [originSecretName(cloud.stage)]: localOriginSecretString(cloud.stage),
  }
  return Object.fromEntries(
    (origin.OriginCustomHeaders ?? []).map(({ HeaderName, HeaderValue }) => [
      HeaderName,
      resolveSecretReferences(String(evaluate(HeaderValue, context)), (name) => secrets[name]),
    ]),
  )
}

export default defineLocalService({
  name: NAME,
  offline: OFFLINE,
  // Locally there is no Secrets Manager: fixed HMAC keys for the list cursors and the subscription
  // links (local data only; the links' key is derived from the secret's name, so welcome-mailer's
  // local.ts derives the same one without either file spelling it out).
  env: (cloud) => ({
    CURSOR_SECRET: 'local-blog-site-cursor-secret-0123456789abcdef',
    SUBSCRIPTION_TOKEN_SECRET: localSecret(`blog-site/${cloud.stage}/subscription-token-secret`),
    ORIGIN_VERIFY_SECRET: localOriginSecretString(cloud.stage),
  }),
  async wire(cloud) {
    const { s3 } = localClients(cloud)
    const studio = studioConfig(cloud)
    await publishSite(s3, output(cloud, 'SiteBucketName'), studio)
    const offline = cloud.offline[NAME]
    if (!offline) {
      // e.g. a benchmark that runs handlers in-process: the site is published, nothing to front.
      cloud.log('blog-site: no serverless-offline, so no local edge server')
      return async () => {}
    }
    const viewerRequest = loadViewerRequest()
    const viewerResponse = loadViewerResponse()
    const edge = await startEdge({
      // 3000 (+ offset) under `pnpm dev`, a free port in tests.
      port: await cloud.port(SITE_PORT),
      responseHeaders: securityHeaders(),
      behaviours: [
        {
          pathPattern: '/api/*',
          origin: { kind: 'http', baseUrl: offline.url, headers: apiOriginHeaders(cloud) },
        },
        {
          pathPattern: '/studio/*',
          origin: { kind: 's3', s3, bucket: output(cloud, 'SiteBucketName') },
          viewerRequest,
          viewerResponse,
          responseHeaders: studioSecurityHeaders(studio, uploadsOrigin(cloud)),
        },
        {
          pathPattern: '/media/thumbnails/*',
          origin: { kind: 's3', s3, bucket: output(cloud, 'ThumbnailsBucketName') },
          viewerRequest,
        },
        {
          pathPattern: '*',
          origin: { kind: 's3', s3, bucket: output(cloud, 'SiteBucketName') },
          viewerRequest,
          viewerResponse,
        },
      ],
    })
    siteUrl = edge.url
    await allowStudioUploads(cloud, s3, edge.url)
    cloud.log(`blog-site: the blog is at ${edge.url}`)
    return () => edge.close()
  },
  async seed(cloud) {
    const posts = dynamoPostsRepository(localClients(cloud).db, output(cloud, 'PostsTableName'))
    for (const post of seedPosts) {
      try {
        await posts.create(post)
      } catch (error) {
        // Already seeded on an earlier start: keep whatever is there (the author may have edited it).
        if (!(error instanceof ConflictError)) throw error
      }
    }
  },
  endpoints(cloud) {
    return {
      ...(siteUrl ? { blogSite: siteUrl } : {}),
      // The API's origin: its routes are /api/..., as behind CloudFront, and like the execute-api
      // URL it refuses calls without the distribution's origin secret header (use blogSite).
      blogApi: cloud.offline[NAME]?.url,
    }
  },
})

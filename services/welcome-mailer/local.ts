/**
 * How `pnpm dev` and the integration tests run the welcome mailer (contract:
 * packages/local-cloud/src/service.ts): a local event source mapping on blog-site's subscribers
 * stream (DynamoDB Local's real GetRecords) invoking the same `sendWelcome` handler, run by the
 * local cloud in a sandbox of its own with the deployed function's environment (`cloud.lambda`).
 * The emails land in aws-ses-v2-local, whose inbox is `endpoints.sesInbox`.
 */
import { join } from 'node:path'
import { readCompose, resolveParams } from '@app/cloudformation'
import { defineLocalService, type LocalCloud } from '@app/local-cloud'
import { localSecret } from '@app/local-cloud/secrets'
import { printService, substituteParams } from '@app/local-cloud/template/print'
import {
  onFailureDestinationArn,
  startDynamoDbStreamPoller,
  streamEventSettings,
} from '@app/local-cloud/wiring/dynamodb-stream'
import type { DynamoDBBatchResponse } from 'aws-lambda'

const name = 'welcome-mailer'
const functionName = 'sendWelcome'

type CloudView = Pick<LocalCloud, 'stage' | 'outputs' | 'functionEnv'> & { rootDir?: string }

const repoRoot = join(import.meta.dirname, '..', '..')

/** The resolved serverless.yml (same `sls print` cache entry the runner made when it provisioned us). */
const printed = async (cloud: CloudView) => {
  const rootDir = cloud.rootDir ?? repoRoot
  const compose = readCompose(rootDir).find((service) => service.name === name)
  const params = compose ? resolveParams(compose, cloud.outputs) : {}
  const { printed } = await printService({
    serviceDir: import.meta.dirname,
    rootDir,
    stage: cloud.stage,
    paramNames: Object.keys(params),
    cacheDir: join(rootDir, '.local', 'cache'),
  })
  return substituteParams(printed, params)
}

const strings = (environment: Record<string, unknown> | undefined) =>
  Object.fromEntries(
    Object.entries(environment ?? {})
      .filter((entry): entry is [string, string | number] => ['string', 'number'].includes(typeof entry[1]))
      .map(([key, value]) => [key, String(value)]),
  )

/**
 * blog-site's SiteUrl output is its CloudFront domain, which has no local value; under `pnpm dev`
 * its local edge serves the blog on http://localhost:3000 (blog-site/local.ts), so links go there.
 */
const localSiteUrl = (siteUrl: unknown): Record<string, string> =>
  /^https?:\/\//.test(String(siteUrl ?? '')) ? {} : { SITE_URL: 'http://localhost:3000' }

/**
 * blog-site's subscription-link key, which AWS resolves from its Secrets Manager secret: locally the
 * value derived from the same secret's name (blog-site/local.ts derives it too).
 */
const localTokenSecret = (stage: string) => ({
  SUBSCRIPTION_TOKEN_SECRET: localSecret(`blog-site/${stage}/subscription-token-secret`),
})

/**
 * `sendWelcome`'s environment as Lambda would get it (serverless.yml provider + function
 * environment), on top of the local cloud's endpoints and credentials.
 */
export const sendWelcomeEnvironment = async (cloud: CloudView): Promise<Record<string, string>> => {
  const config = await printed(cloud)
  const env: Record<string, string> = {
    ...strings(config.provider.environment),
    ...strings(config.functions?.[functionName]?.environment),
    ...cloud.functionEnv,
  }
  return { ...env, ...localSiteUrl(env.SITE_URL), ...localTokenSecret(cloud.stage) }
}

export default defineLocalService({
  name,
  // The local values of SITE_URL and the links' key for the function the wiring invokes (`cloud.lambda`).
  env: (cloud) => {
    const config = cloud.config(name)
    return {
      ...localSiteUrl(
        config?.functions?.[functionName]?.environment?.SITE_URL ?? config?.provider.environment?.SITE_URL,
      ),
      ...localTokenSecret(cloud.stage),
    }
  },
  async wire(cloud) {
    const config = await printed(cloud)
    /** A local event source mapping on one of blog-site's streams, invoking `fn` as Lambda would. */
    const mapping = async (fn: string, streamOutput: string) => {
      const streamArn = cloud.outputs['blog-site']?.[streamOutput]
      if (!streamArn) throw new Error(`${name}: blog-site has no local ${streamOutput} output`)
      const lambda = cloud.lambda(name, fn)
      const poller = startDynamoDbStreamPoller({
        ...streamEventSettings(config, fn),
        streamArn,
        endpoint: cloud.endpoints.dynamodbStreams,
        region: cloud.region,
        functionName: lambda.name,
        readAs: lambda,
        handler: (event) => lambda.invoke<DynamoDBBatchResponse | undefined>(event),
        log: cloud.log,
      })
      await poller.ready
      cloud.log(`${name}: ${lambda.name} reads ${streamArn}`)
      return poller
    }
    const pollers = [
      await mapping(functionName, 'SubscribersTableStreamArn'),
      // Publications: the posts table's stream (NEW_AND_OLD_IMAGES), through the same SES inbox.
      await mapping('sendNewsletter', 'PostsTableStreamArn'),
    ]
    return async () => {
      await Promise.all(pollers.map((poller) => poller.stop()))
    }
  },
  endpoints: (cloud) => ({ welcomeInbox: cloud.endpoints.sesInbox }),
})

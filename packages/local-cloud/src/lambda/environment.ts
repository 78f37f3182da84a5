/**
 * The environment a deployed function gets, derived from the service's resolved serverless.yml
 * (`sls print`, the runner's one source of truth): what Lambda itself defines for every function
 * (name, memory, log group, region...), then `provider.environment`, then the function's own
 * `environment`, with CloudFormation intrinsics evaluated against the local resources as the
 * runner does for `Outputs`. Local overrides come last: the cloud's `functionEnv` (endpoints,
 * dummy credentials, Cognito issuer/clients) and the service's `local.ts` `env()`, the same
 * values serverless-offline hands its handlers (where serverless.yml reads them with `${env:X, ...}`).
 */
import { type IntrinsicContext, resolveIntrinsics, UnresolvableError } from '@app/cloudformation'
import type { PrintedService } from '../template/print'

/** Serverless Framework's defaults when serverless.yml sets neither the function's nor the provider's value. */
const defaultMemorySize = 1024
const defaultTimeoutSeconds = 6

/** A function of the resolved serverless.yml, as the local runtime needs it. */
export interface LambdaDefinition {
  /** The serverless.yml key (`makeThumbnails`). */
  readonly key: string
  /** The deployed name (`thumbnailer-local-makeThumbnails`). */
  readonly name: string
  /** `src/functions/x/handler.handler`, relative to the service folder. */
  readonly handler: string
  readonly memorySize: number
  readonly timeoutSeconds: number
  readonly region: string
  /** Exactly what the handler finds in `process.env`. */
  readonly environment: Readonly<Record<string, string>>
  /** Variables whose template value references something with no local stand-in, with the reason. */
  readonly unresolved: readonly { name: string; reason: string }[]
}

/**
 * The variables Lambda defines for every function (AWS docs, "Defined runtime environment
 * variables"). `AWS_EXECUTION_ENV` is left out on purpose, as serverless-offline does: it is how
 * Powertools (Tracer) and the X-Ray SDK detect Lambda, and there is no X-Ray daemon locally. The
 * credentials come with the local overrides.
 */
export const lambdaRuntimeVariables = (fn: {
  name: string
  handler: string
  memorySize: number
  region: string
}): Record<string, string> => ({
  _HANDLER: fn.handler,
  AWS_REGION: fn.region,
  AWS_DEFAULT_REGION: fn.region,
  AWS_LAMBDA_FUNCTION_NAME: fn.name,
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
  AWS_LAMBDA_LOG_STREAM_NAME: `local/[$LATEST]${fn.name}`,
  LANG: 'en_US.UTF-8',
})

type PrintedFunction = NonNullable<PrintedService['functions']>[string]

const toNumber = (value: unknown, fallback: number): number => {
  const number = Number(value)
  return value !== undefined && value !== null && value !== '' && Number.isFinite(number) ? number : fallback
}

/** `functions.<key>` of the resolved serverless.yml with its environment as Lambda would see it. */
export const lambdaDefinition = (options: {
  printed: PrintedService
  key: string
  /** The local resources' refs and attributes (`provision`), region, account and stack name. */
  intrinsics: IntrinsicContext
  /** Local values that win over serverless.yml: `functionEnv` and the service's `env()`. */
  overrides?: Readonly<Record<string, string>>
  /** The service's name in compose, for the marker of an unresolvable value (default: `printed.service`). */
  service?: string
}): LambdaDefinition => {
  const { printed, key, intrinsics } = options
  const fn: PrintedFunction | undefined = printed.functions?.[key]
  if (!fn) throw new Error(`${printed.service}: serverless.yml has no function ${key}`)
  if (!fn.handler) throw new Error(`${printed.service}: function ${key} has no handler`)
  const provider = printed.provider as PrintedService['provider'] & {
    memorySize?: unknown
    timeout?: unknown
  }
  const name = fn.name ?? `${printed.service}-${printed.provider.stage}-${key}`
  const memorySize = toNumber(fn.memorySize, toNumber(provider.memorySize, defaultMemorySize))
  const timeoutSeconds = toNumber(fn.timeout, toNumber(provider.timeout, defaultTimeoutSeconds))
  const unresolved: { name: string; reason: string }[] = []
  const declared: Record<string, string> = {}
  for (const [variable, value] of Object.entries({ ...provider.environment, ...fn.environment })) {
    try {
      const resolved = resolveIntrinsics(value, intrinsics)
      declared[variable] = typeof resolved === 'string' ? resolved : JSON.stringify(resolved)
    } catch (error) {
      if (!(error instanceof UnresolvableError)) throw error
      unresolved.push({ name: variable, reason: error.message })
      // As for Outputs: an ARN-shaped marker that says what it is, never a made-up value.
      declared[variable] =
        `arn:aws:local:${intrinsics.region}:${intrinsics.accountId}:unavailable-locally/${options.service ?? printed.service}/${key}/${variable}`
    }
  }
  return {
    key,
    name,
    handler: fn.handler,
    memorySize,
    timeoutSeconds,
    region: intrinsics.region,
    environment: {
      ...lambdaRuntimeVariables({ name, handler: fn.handler, memorySize, region: intrinsics.region }),
      ...declared,
      ...options.overrides,
    },
    unresolved,
  }
}

import * as z from 'zod'

/** Thrown at cold start when the environment does not match the function's config schema. */
export class ConfigError extends Error {
  constructor(
    readonly variables: readonly string[],
    message: string,
  ) {
    super(message)
    this.name = 'ConfigError'
  }
}

/**
 * Reads and validates the function's configuration from the environment once, at module scope.
 * Fails fast with every offending variable named, so a bad deploy dies at init, not mid-request.
 */
export const readConfig = <S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.output<S> => {
  const result = schema.safeParse(env)
  if (result.success) return result.data
  const variables = [...new Set(result.error.issues.map((issue) => String(issue.path[0] ?? '')))]
  const details = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')
  throw new ConfigError(variables, `Invalid configuration (${variables.join(', ')}): ${details}`)
}

/** Optional endpoint override, set only when talking to a local stand-in. */
export const endpointUrl = z.url().optional()

/** Shared settings every function reads: where AWS is, and which local stand-ins replace it. */
export const awsEnvSchema = z.object({
  AWS_REGION: z.string().min(1).default('us-east-1'),
  AWS_ENDPOINT_URL_DYNAMODB: endpointUrl,
  AWS_ENDPOINT_URL_S3: endpointUrl,
  AWS_ENDPOINT_URL_SESV2: endpointUrl,
  AWS_ENDPOINT_URL_SFN: endpointUrl,
  AWS_ENDPOINT_URL_DYNAMODB_STREAMS: endpointUrl,
  AWS_ENDPOINT_URL_CLOUDFRONT: endpointUrl,
  AWS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(4),
})
export type AwsEnv = z.output<typeof awsEnvSchema>

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { z } from 'zod'
import type { StudioConfig } from './src/studio/config'

/** `custom.securityHeaders` of serverless.yml: the one definition the response headers policy uses. */
const settingsSchema = z.object({
  contentSecurityPolicy: z.string().min(1),
  hstsMaxAgeSeconds: z.number().int().positive(),
  frameOptions: z.enum(['DENY', 'SAMEORIGIN']),
  referrerPolicy: z.string().min(1),
})

/** The headers CloudFront's SecurityHeadersPolicy adds, as the local edge server sends them. */
export const securityHeaders = (serviceDir = join(import.meta.dirname, '..')): Record<string, string> => {
  const config = parse(readFileSync(join(serviceDir, 'serverless.yml'), 'utf8')) as {
    custom?: { securityHeaders?: unknown }
  }
  const settings = settingsSchema.parse(config.custom?.securityHeaders)
  return {
    'strict-transport-security': `max-age=${settings.hstsMaxAgeSeconds}; includeSubDomains; preload`,
    'content-security-policy': settings.contentSecurityPolicy,
    'x-content-type-options': 'nosniff',
    'x-frame-options': settings.frameOptions,
    'referrer-policy': settings.referrerPolicy,
  }
}

/** The origin a CSP source names for a URL (`ws://127.0.0.1:3006`, `https://cognito-idp...com`). */
const originOf = (url: string) => new URL(url).origin

/**
 * The studio's headers (/studio/*): the site's, with the CSP's last directive, connect-src, widened
 * to exactly what the studio calls: the sign-in endpoint, the uploads' origin and the realtime
 * WebSocket of its settings (the same object studio/config.json carries). serverless/cdn.yml's
 * StudioSecurityHeadersPolicy appends the stage's equivalents in the same place.
 */
export const studioSecurityHeaders = (
  studio: Pick<StudioConfig, 'cognitoEndpoint' | 'realtimeUrl'>,
  uploadsOrigin: string,
  serviceDir?: string,
): Record<string, string> => {
  const headers = securityHeaders(serviceDir)
  const csp = headers['content-security-policy']!
  if (!/(^|;\s*)connect-src [^;]+$/.test(csp))
    throw new Error('custom.securityHeaders.contentSecurityPolicy must end with its connect-src directive')
  const sources = [studio.cognitoEndpoint, uploadsOrigin, studio.realtimeUrl]
    .filter((url): url is string => Boolean(url))
    .map(originOf)
  return { ...headers, 'content-security-policy': `${csp} ${[...new Set(sources)].join(' ')}` }
}

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { z } from 'zod'

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

import { z } from 'zod'

/**
 * The studio's runtime settings: `/studio/config.json`, written by site/publish.ts next to the page
 * from the stage's values (`pnpm dev`: the local cloud's endpoints; AWS: the stack's params and
 * outputs, site-deploy), the one place the page learns them. The studio's CSP
 * (site/security-headers.ts) is derived from the same object, so the page may call exactly these.
 */
export const studioConfigSchema = z.strictObject({
  region: z.string().min(1),
  /** todo-api's app client: the same one the apps sign in with (USER_PASSWORD_AUTH from the browser). */
  userPoolClientId: z.string().min(1),
  /** The Cognito user pools API: `https://cognito-idp.<region>.amazonaws.com/`, locally cognito-local. */
  cognitoEndpoint: z.url({ protocol: /^https?$/ }),
  /** services/realtime's WebSocket URL; null where the stage has none yet (no live thumbnails then). */
  realtimeUrl: z.url({ protocol: /^wss?$/ }).nullable(),
})
export type StudioConfig = z.output<typeof studioConfigSchema>

/** Where the page reads it (same origin, under the studio's own path and CSP). */
export const STUDIO_CONFIG_PATH = '/studio/config.json'

/**
 * Opt-in X-Ray subsegments for AWS SDK v3 clients (Powertools Tracer). Kept out of `@app/runtime/aws`
 * on purpose: the Tracer bundles aws-xray-sdk-core, measured at +127 KB minified (+37 KB gzip) on a
 * 29 KB handler bundle, which alone breaks the 150 KB per-function goal; import time under load was
 * within 1.03x. Functions are already traced by Lambda's active tracing (invocation, init, overhead
 * segments); import this only where per-call SDK timings are worth the size, ideally with the
 * Powertools layer providing the tracer so the bundle stays small (esbuild `exclude` it).
 * Outside Lambda (tests, `pnpm dev`) the Tracer is disabled and clients are returned untouched.
 */
import { Tracer } from '@aws-lambda-powertools/tracer'

/** The one tracer per function; service name from POWERTOOLS_SERVICE_NAME. */
export const tracer = new Tracer()

/** Returns the client with X-Ray subsegments for each call when tracing is active. */
export const traced = <T extends object>(client: T): T => tracer.captureAWSv3Client(client)

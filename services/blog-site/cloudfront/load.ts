import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { runInNewContext } from 'node:vm'

/** The viewer-request event and result, as far as our function uses them. */
export interface ViewerRequest {
  method: string
  uri: string
  querystring: Record<string, { value: string }>
  headers: Record<string, { value: string }>
}
export interface GeneratedResponse {
  statusCode: number
  statusDescription?: string
  headers?: Record<string, { value: string }>
}
export type ViewerRequestFunction = (event: { request: ViewerRequest }) => ViewerRequest | GeneratedResponse

export const viewerRequestSource = readFileSync(join(import.meta.dirname, 'viewer-request.js'), 'utf8')

/**
 * Loads cloudfront/viewer-request.js the way CloudFront does: the file's own top-level `handler`,
 * in a fresh V8 context without Node's globals. The tests and the local edge server both use it.
 */
export const loadViewerRequest = (): ViewerRequestFunction => {
  const sandbox: { handler?: ViewerRequestFunction } = {}
  runInNewContext(`${viewerRequestSource}\nthis.handler = handler`, sandbox)
  if (typeof sandbox.handler !== 'function') throw new Error('viewer-request.js defines no handler')
  return sandbox.handler
}

export const isGeneratedResponse = (result: ViewerRequest | GeneratedResponse): result is GeneratedResponse =>
  'statusCode' in result

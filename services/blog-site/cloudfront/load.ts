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

export const viewerResponseSource = readFileSync(join(import.meta.dirname, 'viewer-response.js'), 'utf8')

/** The viewer-response event's response, as far as our function uses it. */
export interface ViewerResponse {
  statusCode: number
  statusDescription?: string
  headers: Record<string, { value: string }>
}
export type ViewerResponseFunction = (event: { response: ViewerResponse }) => ViewerResponse

const load = <F>(source: string, file: string): F => {
  const sandbox: { handler?: F } = {}
  runInNewContext(`${source}\nthis.handler = handler`, sandbox)
  if (typeof sandbox.handler !== 'function') throw new Error(`${file} defines no handler`)
  return sandbox.handler
}

/** Loads cloudfront/viewer-response.js as CloudFront does (see `loadViewerRequest`). */
export const loadViewerResponse = (): ViewerResponseFunction =>
  load<ViewerResponseFunction>(viewerResponseSource, 'viewer-response.js')

/**
 * Loads cloudfront/viewer-request.js the way CloudFront does: the file's own top-level `handler`,
 * in a fresh V8 context without Node's globals. The tests and the local edge server both use it.
 */
export const loadViewerRequest = (): ViewerRequestFunction =>
  load<ViewerRequestFunction>(viewerRequestSource, 'viewer-request.js')

export const isGeneratedResponse = (result: ViewerRequest | GeneratedResponse): result is GeneratedResponse =>
  'statusCode' in result

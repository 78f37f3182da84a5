import { type TodoApiClient, todoApiClient } from '@app/clients'
import { validateResponses } from '@app/openapi/testing'
import precomputed from '../src/functions/openapi/openapi.generated.json'

export interface ApiResponse {
  status: number
  headers: Headers
  // biome-ignore lint/suspicious/noExplicitAny: tests assert on response shapes they chose to send
  body: any
}

/**
 * The typed client (`@app/clients`) as a client team gets it, per token; every answer is checked
 * against the API's OpenAPI document, so a test that passes is also a document that holds.
 */
export const typedClient = (baseUrl: string) => {
  const checked = validateResponses(precomputed.document)
  return (token?: string): TodoApiClient =>
    todoApiClient({ baseUrl, middleware: [checked], ...(token ? { token } : {}) })
}

/** A typed call's answer in the shape the tests assert on. */
export const answer = async (call: Promise<{ data?: unknown; error?: unknown; response: Response }>) => {
  const { data, error, response } = await call
  return { status: response.status, headers: response.headers, body: data ?? error } as ApiResponse
}

/**
 * Raw requests, for what a typed client cannot send (malformed JSON, wrong types, unknown fields,
 * other content types, a missing required header) or the document does not describe (itself).
 */
export const createApi =
  (baseUrl: string) =>
  async (
    method: string,
    path: string,
    options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse> => {
    const headers: Record<string, string> = { ...options.headers }
    if (options.token) headers.authorization = `Bearer ${options.token}`
    let body: string | undefined = options.rawBody
    if (options.body !== undefined) {
      body = JSON.stringify(options.body)
      headers['content-type'] ??= 'application/json'
    }
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    })
    const text = await response.text()
    let parsed: unknown = text
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {}
    return { status: response.status, headers: response.headers, body: parsed }
  }

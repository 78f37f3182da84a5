import { OpenAPIBackend } from 'openapi-backend'
import type { Middleware } from 'openapi-fetch'

/**
 * The e2e suites' one response check: every answer a typed client (`@app/clients`) receives is
 * validated against the OpenAPI document of its API, so a document cannot drift from behaviour.
 *
 * The schema work is openapi-backend's (maintained, OpenAPI 3.1, Ajv; `validateResponse` and
 * `validateResponseHeaders` per operation and status). It validates only `application/json` bodies,
 * so the copy it gets lists each `application/problem+json` body under that key as well; what it
 * does not check (an undeclared status, a content type the status does not declare, a body where
 * none is declared, a missing required header) is checked here.
 */

type Json = Record<string, unknown>
interface Operation {
  operationId?: string
  responses?: Record<
    string,
    { content?: Record<string, unknown>; headers?: Record<string, { required?: boolean }> }
  >
}

const forValidator = (document: Json): Json => {
  const copy = structuredClone(document)
  for (const item of Object.values((copy.paths ?? {}) as Record<string, Record<string, Operation>>))
    for (const operation of Object.values(item))
      for (const response of Object.values(operation.responses ?? {})) {
        const content = response.content
        if (content?.['application/problem+json'] && !content['application/json'])
          content['application/json'] = content['application/problem+json']
      }
  return copy
}

export interface ReceivedResponse {
  method: string
  /** The path template as the document names it (`/todos/{id}`). */
  path: string
  status: number
  headers: Headers
  /** The raw body text ('' when there is none). */
  text: string
}

/** `check(response)` lists everything in the response that the document does not declare ([] if none). */
export const responseValidator = (document: Json) => {
  const operations = (document.paths ?? {}) as Record<string, Record<string, Operation>>
  // `quick`: skips its definition check, which knows only OpenAPI 3.0's shape (it refuses 3.1's
  // `webhooks` and `license.identifier`; the documents' validity is Redocly's job in `pnpm lint`),
  // and compiles each operation's validators on first use.
  // `logger: false`: Ajv would print "unknown format" for every date-time, uri and uuid it meets (it ships
  // no formats); formats are left unchecked here, the types, patterns and lengths are checked.
  const api = new OpenAPIBackend({
    definition: forValidator(document) as never,
    quick: true,
    strict: true,
    ajvOpts: { logger: false },
  })
  let ready: Promise<unknown> | undefined
  return async ({ method, path, status, headers, text }: ReceivedResponse): Promise<string[]> => {
    ready ??= api.init()
    await ready
    const operation = operations[path]?.[method.toLowerCase()]
    if (!operation?.operationId) return [`${method} ${path}: no such operation in the document`]
    const where = `${operation.operationId} ${status}`
    const declared = operation.responses?.[String(status)] ?? operation.responses?.default
    if (!declared) return [`${where}: status not declared`]
    const problems: string[] = []
    const type = (headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
    const types = Object.keys(declared.content ?? {})
    if (!types.length && text) problems.push(`${where}: a body where the document declares none`)
    if (types.length && !types.includes(type))
      problems.push(`${where}: content type '${type}' not declared (${types.join(', ')})`)
    if (types.length && types.includes(type)) {
      let body: unknown
      try {
        body = JSON.parse(text)
      } catch {
        problems.push(`${where}: body is not JSON`)
      }
      const result = api.validator.validateResponse(body, operation.operationId, status)
      for (const error of result.errors ?? [])
        problems.push(`${where}: body${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`)
    }
    const received: Record<string, string> = {}
    headers.forEach((value, name) => {
      received[name] = value
    })
    const headerResult = api.validator.validateResponseHeaders(received, operation.operationId, {
      statusCode: status,
    })
    for (const error of headerResult.errors ?? [])
      problems.push(`${where}: header${error.instancePath} ${error.message}`)
    for (const [name, header] of Object.entries(declared.headers ?? {}))
      if (header.required && !headers.has(name)) problems.push(`${where}: required header ${name} missing`)
    return problems
  }
}

/**
 * openapi-fetch middleware: a response the document does not declare fails the call (the client
 * rejects with every difference named), so every e2e request through a client is also a document test.
 */
export const validateResponses = (document: Json): Middleware => {
  const check = responseValidator(document)
  return {
    async onResponse({ request, response, schemaPath }) {
      const problems = await check({
        method: request.method,
        path: schemaPath,
        status: response.status,
        headers: response.headers,
        text: await response.clone().text(),
      })
      if (problems.length)
        throw new Error(
          `${request.method} ${new URL(request.url).pathname}: the response breaks the OpenAPI document:\n${problems.join('\n')}`,
        )
      return undefined
    },
  }
}

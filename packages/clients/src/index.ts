import createClient, { type ClientOptions, type Middleware } from 'openapi-fetch'
import type { paths as BlogPaths } from './generated/blog-site'
import type { paths as TodoPaths } from './generated/todo-api'
import type { paths as WorkflowsPaths } from './generated/workflows'

/**
 * Typed clients of the three REST APIs (openapi-fetch over the types openapi-typescript generates
 * from each API's checked-in OpenAPI document; `pnpm openapi` regenerates them, `pnpm lint` fails
 * when they are stale). Every method returns `{ data, error, response }`: `error` is the RFC 9457
 * problem of a 4xx/5xx, typed per status.
 */
export interface ApiClientOptions extends ClientOptions {
  /** The API's base URL: the `todoApi`, `blogApi` or `workflowsApi` endpoint. */
  baseUrl: string
  /** A Cognito access token, sent as `Authorization: Bearer <token>` (routes that need none ignore it). */
  token?: string
  middleware?: Middleware[]
}

const client = <Paths extends {}>({ token, middleware = [], ...options }: ApiClientOptions) => {
  const api = createClient<Paths>({
    ...options,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...options.headers },
  })
  api.use(...middleware)
  return api
}

export const todoApiClient = (options: ApiClientOptions) => client<TodoPaths>(options)
export const blogApiClient = (options: ApiClientOptions) => client<BlogPaths>(options)
export const workflowsApiClient = (options: ApiClientOptions) => client<WorkflowsPaths>(options)

export type TodoApiClient = ReturnType<typeof todoApiClient>
export type BlogApiClient = ReturnType<typeof blogApiClient>
export type WorkflowsApiClient = ReturnType<typeof workflowsApiClient>
export type { BlogPaths, TodoPaths, WorkflowsPaths }

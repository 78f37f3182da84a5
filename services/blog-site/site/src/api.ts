/** The blog's REST API as the page uses it (same origin: CloudFront's /api/* behaviour). */

import type { PhotoView } from '@app/domain/posts'

export interface PostSummary {
  slug: string
  title: string
  summary: string
  author: string
  publishedAt: string
  updatedAt: string
  tags: string[]
}
export interface Post extends PostSummary {
  body: string
}
export interface PostPage {
  items: PostSummary[]
  nextCursor?: string
}
/** One photo of a post, as the API's photos route shows it. */
export type Photo = PhotoView

/** An answer other than 2xx; `status` 0 when the request never got one (offline, DNS, CORS). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail?: string,
  ) {
    super(detail ?? `HTTP ${status}`)
  }
}

/** A same-origin call of the API: the parsed JSON, or an ApiError with the problem's `detail`. */
export const request = async <T>(path: string, init?: RequestInit): Promise<T> => {
  let response: Response
  try {
    response = await fetch(path, { ...init, headers: { accept: 'application/json', ...init?.headers } })
  } catch {
    throw new ApiError(0)
  }
  const body: unknown = await response.json().catch(() => undefined)
  if (!response.ok) {
    const detail = (body as { detail?: unknown } | undefined)?.detail
    throw new ApiError(response.status, typeof detail === 'string' ? detail : undefined)
  }
  return body as T
}

export const api = {
  listPosts: (cursor?: string) =>
    request<PostPage>(`/api/posts?limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
  getPost: (slug: string) => request<Post>(`/api/posts/${encodeURIComponent(slug)}`),
  listPhotos: (slug: string) => request<{ items: Photo[] }>(`/api/posts/${encodeURIComponent(slug)}/photos`),
  subscribe: (email: string) =>
    request<{ email: string; status: string }>('/api/subscribers', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, source: 'blog' }),
    }),
  confirm: (token: string) =>
    request<{ status: string }>('/api/subscribers/confirm', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    }),
  unsubscribe: (token: string) =>
    request<{ status: string }>('/api/subscribers/unsubscribe', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    }),
}

/** Pure helpers of the page (no DOM), unit-tested in format.test.ts. */

const dateFormat = new Intl.DateTimeFormat('en', {
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  timeZone: 'UTC',
})

/** `2026-11-22T10:00:00.000Z` -> `November 22, 2026` (UTC, so every reader sees the same day). */
export const formatDate = (iso: string): string => {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? '' : dateFormat.format(date)
}

/** The slug of `/posts/<slug>`, or undefined on any other path. */
export const slugFromPath = (pathname: string): string | undefined => {
  const match = /^\/posts\/([a-z0-9]+(?:-[a-z0-9]+)*)\/?$/.exec(pathname)
  return match?.[1]
}

export interface Thumbnail {
  width: number
  url: string
  contentType: string
}

/** `srcset` of a photo's thumbnails, so the browser picks the smallest that fills the slot. */
export const srcset = (thumbnails: readonly Thumbnail[]): string =>
  [...thumbnails]
    .sort((a, b) => a.width - b.width)
    .map((thumbnail) => `${thumbnail.url} ${thumbnail.width}w`)
    .join(', ')

/** What the subscribe form says for an API answer (problem+json detail when there is one). */
export const subscribeMessage = (
  outcome: { ok: true; email: string } | { ok: false; status: number; detail?: string | undefined },
): string => {
  if (outcome.ok)
    return `Almost there: check ${outcome.email} and click the link in our email to confirm your subscription.`
  if (outcome.status === 400)
    return 'That does not look like an email address. Please check it and try again.'
  if (outcome.status === 429) return 'Too many attempts just now. Please try again in a minute.'
  if (outcome.status === 0) return 'We could not reach the server. Check your connection and try again.'
  return 'Something went wrong on our side. Please try again later.'
}

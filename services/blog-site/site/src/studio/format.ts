/** Pure helpers of the studio (no DOM), unit-tested in format.test.ts. */

/** A slug suggested from a title: lower-case ASCII words joined by `-` (the API's slug rule). */
export const slugify = (title: string): string =>
  title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '')

export interface Claims {
  sub: string
  groups: string[]
  /** Seconds since the epoch. */
  exp: number
}

/**
 * What the page shows about the signed-in user, read from the access token's payload. Display only:
 * the API verifies the token and decides; a forged payload here changes nothing but the page.
 */
export const claimsOf = (accessToken: string): Claims => {
  const payload = accessToken.split('.')[1]
  if (!payload) throw new Error('not a JWT')
  const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>
  const groups = json['cognito:groups']
  return {
    sub: String(json.sub ?? ''),
    groups: Array.isArray(groups) ? groups.map(String) : [],
    exp: Number(json.exp ?? 0),
  }
}

/**
 * Why a photo failed, in words: the thumbnailer's detail (written for the author, packages/domain
 * photos/failures.ts), or its reason code when an older item has none.
 */
export const photoFailureText = (reason: string, reasonDetail?: string): string =>
  reasonDetail?.trim() ||
  `The photo could not be processed (${reason.replace(/[^a-z0-9-]/gi, '') || 'unknown reason'}).`

/** What the studio says when the API refuses a write. */
export const refusalText = (status: number, detail?: string): string => {
  if (status === 401) return 'Your sign-in has expired. Please sign in again.'
  if (status === 403)
    return `The blog refused: ${detail ?? 'your account may not do this'} (only members of the authors group may publish).`
  if (status === 409) return 'A post with this slug exists already. Please choose another slug.'
  if (status === 412)
    return 'The post was changed elsewhere since you opened it. Open it again to edit the newest version.'
  if (status === 400 || status === 422)
    return `Please check the post: ${detail ?? 'some field is not valid'}.`
  if (status === 0) return 'We could not reach the server. Check your connection and try again.'
  return 'Something went wrong on our side. Please try again later.'
}

/**
 * Authorizer context values must be strings, numbers or booleans, so the groups travel as a JSON
 * array (`'["authors"]'`): a group whose name contains a comma stays one group. `decodeGroups` is
 * strict: anything but a JSON array of strings is `undefined` (and the request has no principal).
 */
export const encodeGroups = (groups: readonly string[]): string => JSON.stringify(groups)

export const decodeGroups = (value: unknown): string[] | undefined => {
  if (typeof value !== 'string') return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch {
    return undefined
  }
  return Array.isArray(parsed) && parsed.every((group) => typeof group === 'string') ? parsed : undefined
}

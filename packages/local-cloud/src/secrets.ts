import { createHash } from 'node:crypto'

/**
 * The local stage's value of a Secrets Manager secret (there is no stand-in): derived from the
 * secret's name, so every service that resolves the same secret in AWS gets the same value locally
 * without the value being written down twice. Local data only: it is no secret.
 */
export const localSecret = (secretName: string): string =>
  createHash('sha256').update(`local-cloud secret ${secretName}`).digest('base64url')

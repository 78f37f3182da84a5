import { createHash } from 'node:crypto'

/**
 * The local stage's value of a Secrets Manager secret (there is no stand-in): derived from the
 * secret's name, so every service that resolves the same secret in AWS gets the same value locally
 * without the value being written down twice. Local data only: it is no secret.
 */
export const localSecret = (secretName: string): string =>
  createHash('sha256').update(`local-cloud secret ${secretName}`).digest('base64url')

const SECRETS_MANAGER_REFERENCE =
  /\{\{resolve:secretsmanager:([^:}]+):SecretString(?::([^:}]*))?(?::[^:}]*:[^:}]*)?\}\}/g

/**
 * `text` with its Secrets Manager dynamic references
 * (`{{resolve:secretsmanager:<name>:SecretString[:<json-key>[:<stage>:<version>]]}}`) resolved
 * against local SecretStrings, as CloudFormation resolves them at deploy: the whole string, or
 * one key of its JSON. Locally there is no version history: every version is the one value.
 */
export const resolveSecretReferences = (
  text: string,
  secretString: (secretName: string) => string | undefined,
): string =>
  text.replace(SECRETS_MANAGER_REFERENCE, (_reference, name: string, key: string | undefined) => {
    const value = secretString(name)
    if (value === undefined) throw new Error(`local secret ${name}: no local value`)
    if (!key) return value
    const member = (JSON.parse(value) as Record<string, unknown>)[key]
    if (typeof member !== 'string') throw new Error(`local secret ${name}: no JSON key ${key}`)
    return member
  })

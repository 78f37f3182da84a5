/** The CloudFormation shapes the features read and write, and the reference helpers they share. */

export interface Resource {
  Type: string
  Properties?: Record<string, any>
  DependsOn?: string[]
  UpdatePolicy?: Record<string, unknown>
  [key: string]: unknown
}
export type Resources = Record<string, Resource>
export interface Template {
  Resources: Resources
  Outputs?: Record<string, unknown>
}
/** A value CloudFormation resolves: a literal or an intrinsic such as `{ Ref: X }`. */
export type Value = unknown

export const isRecord = (value: unknown): value is Record<string, any> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Logical id a value points at through `Ref` or `Fn::GetAtt`. */
export const referencedId = (value: unknown): string | undefined => {
  if (!isRecord(value)) return undefined
  if (typeof value.Ref === 'string') return value.Ref
  const getAtt = value['Fn::GetAtt']
  if (Array.isArray(getAtt)) return getAtt[0]
  if (typeof getAtt === 'string') return getAtt.split('.')[0]
  return undefined
}

/** Every logical id referenced anywhere inside a value. */
export const collectIds = (value: unknown, found = new Set<string>()): Set<string> => {
  if (Array.isArray(value)) for (const item of value) collectIds(item, found)
  else if (isRecord(value)) {
    const id = referencedId(value)
    if (id) found.add(id)
    for (const item of Object.values(value)) collectIds(item, found)
  }
  return found
}

export const logicalName = (text: string) => text.replace(/[^A-Za-z0-9]/g, '')

/** The functions of a compiled template, as [logicalId, resource] pairs. */
export const functionsOf = (resources: Resources): [string, Resource][] =>
  Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function')

/** The trust policy of a role an AWS service assumes (optionally only on behalf of this account). */
export const assumableBy = (service: string, { sameAccount = false } = {}) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sts:AssumeRole',
      ...(sameAccount
        ? { Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } }
        : {}),
    },
  ],
})

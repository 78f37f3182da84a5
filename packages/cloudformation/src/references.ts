/** What a template value points at: `Ref` and `Fn::GetAtt` targets, and a resource's `DependsOn`. */
import { type CfnResource, isRecord } from './template'

/** Logical id a value points at through `Ref` or `Fn::GetAtt`, if it is such a reference. */
export const referencedId = (value: unknown): string | undefined => {
  if (!isRecord(value)) return undefined
  if (typeof value.Ref === 'string') return value.Ref
  const getAtt = value['Fn::GetAtt']
  if (typeof getAtt === 'string') return getAtt.split('.')[0]
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0]
  return undefined
}

/** The `[logicalId, attribute]` of an `Fn::GetAtt` (list or dotted form), if the value is one. */
export const getAttTarget = (value: unknown): [string, string] | undefined => {
  if (!isRecord(value)) return undefined
  const getAtt = value['Fn::GetAtt']
  if (typeof getAtt === 'string') {
    const dot = getAtt.indexOf('.')
    return dot > 0 ? [getAtt.slice(0, dot), getAtt.slice(dot + 1)] : undefined
  }
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string' && typeof getAtt[1] === 'string')
    return [getAtt[0], getAtt[1]]
  return undefined
}

/** Every logical id referenced through `Ref`/`Fn::GetAtt` anywhere inside a value. */
export const collectIds = (value: unknown, found = new Set<string>()): Set<string> => {
  if (Array.isArray(value)) for (const item of value) collectIds(item, found)
  else if (isRecord(value)) {
    const id = referencedId(value)
    if (id) found.add(id)
    for (const item of Object.values(value)) collectIds(item, found)
  }
  return found
}

/** A resource's `DependsOn` as a list (CloudFormation accepts one id or a list). */
export const dependsOnOf = (resource: Pick<CfnResource<unknown>, 'DependsOn'>): string[] =>
  resource.DependsOn === undefined ? [] : [resource.DependsOn].flat()

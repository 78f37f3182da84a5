/**
 * Checks resource types, property names and value shapes against the CloudFormation resource
 * specification shipped in `@aws-cdk/aws-service-spec` (the database the CDK generates its L1
 * constructs from), so a typo such as `PointInTimeRecoverySpecifcation` or a string where a list
 * belongs fails the build, not the deploy.
 */

import type { CfnTemplate } from '@app/cloudformation'
import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec'

type SpecType =
  | { type: 'string' | 'number' | 'integer' | 'boolean' | 'json' | 'date-time' | 'tag' | 'null' }
  | { type: 'array' | 'map'; element: SpecType }
  | { type: 'ref'; reference: { $ref: string } }
  | { type: 'union'; types: SpecType[] }

interface SpecProperty {
  type: SpecType
  required?: boolean
  previousTypes?: SpecType[]
}

interface SpecShape {
  properties: Record<string, SpecProperty>
}

interface SpecDb {
  lookup(entity: 'resource', index: 'cloudFormationType', op: 'equals', value: string): SpecShape[]
  get(entity: 'typeDefinition', id: string): SpecShape
}

let cached: SpecDb | undefined
/** The spec database (about 0.5 s to load); loaded once per process. */
export const specDb = (): SpecDb => {
  cached ??= loadAwsServiceSpecSync() as unknown as SpecDb
  return cached
}

const INTRINSICS = new Set([
  'Ref',
  'Condition',
  'Fn::GetAtt',
  'Fn::Sub',
  'Fn::Join',
  'Fn::Select',
  'Fn::Split',
  'Fn::If',
  'Fn::ImportValue',
  'Fn::FindInMap',
  'Fn::GetAZs',
  'Fn::Base64',
  'Fn::Cidr',
  'Fn::Length',
  'Fn::ToJsonString',
  'Fn::Transform',
])

/** A value CloudFormation computes at deploy time: its type cannot be checked statically. */
const isIntrinsic = (value: unknown) => {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false
  const keys = Object.keys(value)
  return keys.length === 1 && INTRINSICS.has(keys[0] as string)
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const describe = (value: unknown) =>
  Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`

/** Problems of one value against one spec type, with JSON-pointer-like paths. */
const check = (db: SpecDb, value: unknown, type: SpecType, path: string): string[] => {
  if (isIntrinsic(value)) return []
  switch (type.type) {
    case 'json':
      return []
    case 'null':
      return value === null ? [] : [`${path}: expected null, got ${describe(value)}`]
    // CloudFormation converts scalars to strings and numeric/boolean strings to numbers/booleans.
    case 'string':
    case 'date-time':
      return ['string', 'number', 'boolean'].includes(typeof value)
        ? []
        : [`${path}: expected a string, got ${describe(value)}`]
    case 'number':
    case 'integer':
      return typeof value === 'number' ||
        (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))
        ? []
        : [`${path}: expected a number, got ${describe(value)}`]
    case 'boolean':
      return typeof value === 'boolean' || value === 'true' || value === 'false'
        ? []
        : [`${path}: expected a boolean, got ${describe(value)}`]
    case 'tag':
      return isRecord(value) && 'Key' in value && 'Value' in value
        ? []
        : [`${path}: expected a {Key, Value} tag`]
    case 'array':
      return Array.isArray(value)
        ? value.flatMap((item, index) => check(db, item, type.element, `${path}/${index}`))
        : [`${path}: expected a list, got ${describe(value)}`]
    case 'map':
      return isRecord(value)
        ? Object.entries(value).flatMap(([key, item]) => check(db, item, type.element, `${path}/${key}`))
        : [`${path}: expected a map, got ${describe(value)}`]
    case 'ref': {
      if (!isRecord(value)) return [`${path}: expected an object, got ${describe(value)}`]
      return checkProperties(db, db.get('typeDefinition', type.reference.$ref), value, path)
    }
    case 'union': {
      const attempts = type.types.map((option) => check(db, value, option, path))
      return attempts.some((problems) => problems.length === 0) ? [] : (attempts[0] ?? [])
    }
  }
}

const checkProperties = (
  db: SpecDb,
  shape: SpecShape,
  value: Record<string, unknown>,
  path: string,
): string[] => {
  const problems: string[] = []
  for (const [name, item] of Object.entries(value)) {
    const property = shape.properties[name]
    if (!property) {
      problems.push(
        `${path}/${name}: unknown property (known: ${Object.keys(shape.properties).sort().join(', ')})`,
      )
      continue
    }
    const types = [property.type, ...(property.previousTypes ?? [])]
    const attempts = types.map((type) => check(db, item, type, `${path}/${name}`))
    if (!attempts.some((list) => list.length === 0)) problems.push(...(attempts[0] ?? []))
  }
  for (const [name, property] of Object.entries(shape.properties)) {
    if (property.required && !(name in value)) problems.push(`${path}/${name}: required property missing`)
  }
  return problems
}

/** Every resource's type, property names and value shapes; custom resources are free-form. */
export const checkTemplateAgainstSpec = (template: CfnTemplate): string[] => {
  const db = specDb()
  return Object.entries(template.Resources).flatMap(([id, resource]) => {
    if (resource.Type.startsWith('Custom::') || resource.Type === 'AWS::CloudFormation::CustomResource')
      return []
    const [shape] = db.lookup('resource', 'cloudFormationType', 'equals', resource.Type)
    if (!shape) return [`/Resources/${id}: unknown resource type ${resource.Type}`]
    return checkProperties(db, shape, resource.Properties ?? {}, `/Resources/${id}/Properties`)
  })
}

/**
 * Evaluates the CloudFormation intrinsics our templates use (`Ref`, `Fn::GetAtt`, `Fn::Sub`,
 * `Fn::Join`, `Fn::Select`, `Fn::Split`) against the resources the local cloud created, so a
 * service's `Outputs` (and anything else) get their local values. A reference to a resource that
 * has no local stand-in is an UnresolvableError, never a made-up value.
 */

export class UnresolvableError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UnresolvableError'
  }
}

export interface IntrinsicContext {
  region: string
  accountId: string
  stackName: string
  /** `Ref` value of each created resource, by logical id. */
  refs: Readonly<Record<string, string>>
  /** `Fn::GetAtt` attributes of each created resource, by logical id then attribute. */
  attributes: Readonly<Record<string, Readonly<Record<string, string>>>>
}

const pseudo = (name: string, context: IntrinsicContext): string | undefined =>
  ({
    'AWS::Region': context.region,
    'AWS::AccountId': context.accountId,
    'AWS::StackName': context.stackName,
    'AWS::StackId': `arn:aws:cloudformation:${context.region}:${context.accountId}:stack/${context.stackName}/local`,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
  })[name]

const ref = (name: string, context: IntrinsicContext): string => {
  const value = pseudo(name, context) ?? context.refs[name]
  if (value === undefined) throw new UnresolvableError(`Ref ${name}: no local resource`)
  return value
}

const getAtt = (logicalId: string, attribute: string, context: IntrinsicContext): string => {
  const value = context.attributes[logicalId]?.[attribute]
  if (value === undefined) throw new UnresolvableError(`Fn::GetAtt ${logicalId}.${attribute}: no local value`)
  return value
}

const asString = (value: unknown, where: string): string => {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  throw new UnresolvableError(`${where}: expected a string, got ${JSON.stringify(value)}`)
}

const sub = (template: string, variables: Record<string, unknown>, context: IntrinsicContext): string =>
  template.replace(/\$\{([^}]+)\}/g, (_match, name: string) => {
    // `${!Literal}` is an escaped literal in CloudFormation.
    if (name.startsWith('!')) return `\${${name.slice(1)}}`
    if (name in variables) return asString(resolveIntrinsics(variables[name], context), `Fn::Sub \${${name}}`)
    const dot = name.indexOf('.')
    if (dot > 0 && !name.startsWith('AWS::')) return getAtt(name.slice(0, dot), name.slice(dot + 1), context)
    return ref(name, context)
  })

/** Returns `value` with every intrinsic function evaluated. */
export const resolveIntrinsics = (value: unknown, context: IntrinsicContext): unknown => {
  if (Array.isArray(value)) return value.map((item) => resolveIntrinsics(item, context))
  if (value === null || typeof value !== 'object') return value
  const entries = Object.entries(value)
  const [first] = entries
  if (entries.length === 1 && first) {
    const [key, argument] = first
    switch (key) {
      case 'Ref':
        return ref(asString(argument, 'Ref'), context)
      case 'Fn::GetAtt': {
        const [logicalId, ...attribute] = Array.isArray(argument)
          ? argument.map((part) => asString(resolveIntrinsics(part, context), 'Fn::GetAtt'))
          : asString(argument, 'Fn::GetAtt').split('.')
        return getAtt(logicalId ?? '', attribute.join('.'), context)
      }
      case 'Fn::Sub': {
        const [template, variables = {}] = Array.isArray(argument) ? argument : [argument]
        return sub(asString(template, 'Fn::Sub'), variables as Record<string, unknown>, context)
      }
      case 'Fn::Join': {
        const [delimiter, list] = argument as [string, unknown]
        const items = resolveIntrinsics(list, context)
        if (!Array.isArray(items)) throw new UnresolvableError('Fn::Join: expected a list')
        return items.map((item) => asString(item, 'Fn::Join')).join(delimiter)
      }
      case 'Fn::Select': {
        const [index, list] = argument as [unknown, unknown]
        const items = resolveIntrinsics(list, context)
        const item = Array.isArray(items) ? items[Number(resolveIntrinsics(index, context))] : undefined
        if (item === undefined) throw new UnresolvableError('Fn::Select: index out of range')
        return item
      }
      case 'Fn::Split': {
        const [delimiter, source] = argument as [string, unknown]
        return asString(resolveIntrinsics(source, context), 'Fn::Split').split(delimiter)
      }
      default:
        if (key.startsWith('Fn::') || key === 'Condition') {
          throw new UnresolvableError(`${key} is not evaluated locally`)
        }
    }
  }
  return Object.fromEntries(entries.map(([key, item]) => [key, resolveIntrinsics(item, context)]))
}

/**
 * The one evaluator of CloudFormation's intrinsic functions in the repo, with CloudFormation's
 * documented semantics (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html):
 * `Ref` (pseudo parameters, template parameters, resources), `Fn::GetAtt` (list and dotted forms, an
 * attribute name given by `Ref`), `Fn::Sub` (with and without a variable map, `${!Literal}`),
 * `Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::FindInMap`, `Fn::Base64`, and the condition functions
 * (`Fn::If`, `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `Condition`) over the template's
 * `Conditions`, with `AWS::NoValue` removing the property or list item it stands for.
 *
 * What a resource's `Ref` and `Fn::GetAtt` return is the caller's knowledge (the local cloud knows
 * what it created, the packager stubs what AWS would return): it comes in through the context.
 * What cannot be resolved is, in the default `strict` mode, an `UnresolvableError`, never a made-up
 * value; in `marker` mode the unresolvable node is replaced by the caller's marker (a value that is
 * recognisably not real) and evaluation goes on around it.
 *
 * Written by hand: the npm packages that evaluate intrinsics are tied to a deployment tool's model
 * (CDK's is internal to its assertions; the others are unmaintained YAML loaders) and none offers a
 * strict/marker split or caller-provided Ref/GetAtt values.
 */

export class UnresolvableError extends Error {
  constructor(
    message: string,
    /** The intrinsic that could not be evaluated (`Ref`, `Fn::GetAtt`, `Fn::ImportValue`, ...). */
    readonly intrinsic: string,
    readonly logicalId?: string,
    readonly attribute?: string,
  ) {
    super(message)
    this.name = 'UnresolvableError'
  }
}

export interface IntrinsicContext {
  readonly region: string
  readonly accountId: string
  /** Absent: `AWS::StackName` and `AWS::StackId` are unresolvable. */
  readonly stackName?: string
  /** `AWS::StackId`; default `arn:<partition>:cloudformation:<region>:<account>:stack/<stackName>/local`. */
  readonly stackId?: string
  /** Default `aws`. */
  readonly partition?: string
  /** Default `amazonaws.com`. */
  readonly urlSuffix?: string
  /** Values of the template's parameters (their `Default` otherwise, when `parameterDefaults` is given). */
  readonly parameters?: Readonly<Record<string, unknown>>
  readonly parameterDefaults?: Readonly<Record<string, { Default?: unknown }>>
  /** `Ref` value of each known resource, by logical id. */
  readonly refs?: Readonly<Record<string, unknown>>
  /** `Fn::GetAtt` attributes of each known resource, by logical id then attribute. */
  readonly attributes?: Readonly<Record<string, Readonly<Record<string, unknown>>>>
  /** Consulted after `refs`: `undefined` when the resource is unknown. */
  readonly ref?: (logicalId: string) => unknown
  /** Consulted after `attributes`: `undefined` when the attribute is unknown. */
  readonly getAtt?: (logicalId: string, attribute: string) => unknown
  /** The template's `Conditions` section, for `Fn::If` and `Condition`. */
  readonly conditions?: Readonly<Record<string, unknown>>
  /** The template's `Mappings` section, for `Fn::FindInMap`. */
  readonly mappings?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>
}

/** `strict`: unresolvable → UnresolvableError. `marker`: unresolvable → `marker(error)` in its place. */
export type EvaluationMode = 'strict' | { readonly marker: (error: UnresolvableError) => unknown }

/** What `Ref: AWS::NoValue` evaluates to before its enclosing object or list drops it. */
const NO_VALUE: unique symbol = Symbol('AWS::NoValue')

const CONDITION_FUNCTIONS = new Set(['Fn::Equals', 'Fn::And', 'Fn::Or', 'Fn::Not', 'Condition'])

/** A malformed template (not a missing value): an error in both modes. */
const malformed = (message: string) => new UnresolvableError(message, 'template')

const asString = (value: unknown, where: string): string => {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  throw malformed(`${where}: expected a string, got ${JSON.stringify(value)}`)
}

const asList = (value: unknown, where: string): unknown[] => {
  if (!Array.isArray(value)) throw malformed(`${where}: expected a list, got ${JSON.stringify(value)}`)
  return value
}

/** The single-key object `{ Ref | Fn::* | Condition: argument }`, if the value is an intrinsic. */
const intrinsicOf = (value: object): [string, unknown] | undefined => {
  const keys = Object.keys(value)
  if (keys.length !== 1) return undefined
  const [key] = keys as [string]
  if (key !== 'Ref' && key !== 'Condition' && !key.startsWith('Fn::')) return undefined
  return [key, (value as Record<string, unknown>)[key]]
}

const evaluator = (context: IntrinsicContext, mode: EvaluationMode) => {
  const partition = context.partition ?? 'aws'
  const fail = (error: UnresolvableError): unknown => {
    if (mode === 'strict') throw error
    return mode.marker(error)
  }

  const pseudo = (name: string): unknown => {
    switch (name) {
      case 'AWS::Region':
        return context.region
      case 'AWS::AccountId':
        return context.accountId
      case 'AWS::Partition':
        return partition
      case 'AWS::URLSuffix':
        return context.urlSuffix ?? 'amazonaws.com'
      case 'AWS::NoValue':
        return NO_VALUE
      // No notification topics are configured for our stacks.
      case 'AWS::NotificationARNs':
        return []
      case 'AWS::StackName':
        return context.stackName
      case 'AWS::StackId':
        return (
          context.stackId ??
          (context.stackName === undefined
            ? undefined
            : `arn:${partition}:cloudformation:${context.region}:${context.accountId}:stack/${context.stackName}/local`)
        )
      default:
        return undefined
    }
  }

  const ref = (name: string): unknown => {
    const value =
      pseudo(name) ??
      context.parameters?.[name] ??
      context.parameterDefaults?.[name]?.Default ??
      context.refs?.[name] ??
      context.ref?.(name)
    if (value !== undefined) return value
    // The wording `pnpm dev` prints for an output without a local value (cloud.ts, cli.ts).
    return fail(new UnresolvableError(`Ref ${name}: no local resource`, 'Ref', name))
  }

  const getAtt = (logicalId: string, attribute: string): unknown => {
    const value = context.attributes?.[logicalId]?.[attribute] ?? context.getAtt?.(logicalId, attribute)
    if (value !== undefined) return value
    return fail(
      new UnresolvableError(
        `Fn::GetAtt ${logicalId}.${attribute}: no local value`,
        'Fn::GetAtt',
        logicalId,
        attribute,
      ),
    )
  }

  const sub = (text: string, variables: Record<string, unknown>): string =>
    text.replace(/\$\{([^}]+)\}/g, (_match, name: string) => {
      // `${!Literal}` is the documented escape: it stands for the text `${Literal}`.
      if (name.startsWith('!')) return `\${${name.slice(1)}}`
      if (Object.hasOwn(variables, name)) return asString(evaluate(variables[name]), `Fn::Sub \${${name}}`)
      const dot = name.indexOf('.')
      const value =
        dot > 0 && !name.startsWith('AWS::') ? getAtt(name.slice(0, dot), name.slice(dot + 1)) : ref(name)
      return asString(value, `Fn::Sub \${${name}}`)
    })

  const conditionCache = new Map<string, boolean>()
  const condition = (name: string): boolean => {
    const cached = conditionCache.get(name)
    if (cached !== undefined) return cached
    const declared = context.conditions?.[name]
    if (declared === undefined)
      throw new UnresolvableError(
        `Condition ${name}: ${context.conditions ? 'not declared in Conditions' : 'no Conditions given'}`,
        'Condition',
        name,
      )
    const value = truth(declared, `Condition ${name}`)
    conditionCache.set(name, value)
    return value
  }

  /** A condition function's boolean. A condition cannot be replaced by a marker: it picks a branch. */
  const truth = (value: unknown, where: string): boolean => {
    if (value === true || value === 'true') return true
    if (value === false || value === 'false') return false
    const intrinsic = value !== null && typeof value === 'object' ? intrinsicOf(value) : undefined
    if (!intrinsic) throw malformed(`${where}: expected a condition, got ${JSON.stringify(value)}`)
    const [key, argument] = intrinsic
    switch (key) {
      case 'Condition':
        return condition(asString(argument, 'Condition'))
      case 'Fn::Equals': {
        const [a, b] = asList(argument, 'Fn::Equals').map((item) => strictly(item))
        return JSON.stringify(a) === JSON.stringify(b)
      }
      case 'Fn::And':
        return asList(argument, 'Fn::And').every((item) => truth(item, 'Fn::And'))
      case 'Fn::Or':
        return asList(argument, 'Fn::Or').some((item) => truth(item, 'Fn::Or'))
      case 'Fn::Not': {
        const [item] = asList(argument, 'Fn::Not')
        return !truth(item, 'Fn::Not')
      }
      default:
        throw malformed(`${where}: ${key} is not a condition function`)
    }
  }

  /** Condition operands are compared, never marked: a marker would silently pick a branch. */
  const strictly = (value: unknown): unknown => evaluator(context, 'strict').evaluate(value)

  const evaluate = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(evaluate).filter((item) => item !== NO_VALUE)
    if (value === null || typeof value !== 'object') return value
    const intrinsic = intrinsicOf(value)
    if (!intrinsic) {
      const entries = Object.entries(value)
        .map(([key, item]) => [key, evaluate(item)] as const)
        .filter(([, item]) => item !== NO_VALUE)
      return Object.fromEntries(entries)
    }
    const [key, argument] = intrinsic
    switch (key) {
      case 'Ref':
        return ref(asString(evaluate(argument), 'Ref'))
      case 'Fn::GetAtt': {
        if (typeof argument === 'string') {
          // The dotted form: the first dot separates the logical id (attributes may contain dots).
          const dot = argument.indexOf('.')
          if (dot <= 0) throw malformed(`Fn::GetAtt ${argument}: expected LogicalId.Attribute`)
          return getAtt(argument.slice(0, dot), argument.slice(dot + 1))
        }
        const [logicalId, attribute] = asList(argument, 'Fn::GetAtt')
        return getAtt(asString(logicalId, 'Fn::GetAtt'), asString(evaluate(attribute), 'Fn::GetAtt'))
      }
      case 'Fn::Sub': {
        const [text, variables = {}] = Array.isArray(argument) ? argument : [argument]
        return sub(asString(text, 'Fn::Sub'), variables as Record<string, unknown>)
      }
      case 'Fn::Join': {
        const [delimiter, list] = asList(argument, 'Fn::Join')
        return asList(evaluate(list), 'Fn::Join')
          .map((item) => asString(item, 'Fn::Join'))
          .join(asString(delimiter, 'Fn::Join'))
      }
      case 'Fn::Select': {
        const [index, list] = asList(argument, 'Fn::Select')
        const items = asList(evaluate(list), 'Fn::Select')
        const position = Number(evaluate(index))
        // CloudFormation: an index out of bounds is a stack error, not an empty value.
        if (!Number.isInteger(position) || position < 0 || position >= items.length)
          throw malformed(`Fn::Select: index ${position} out of range of ${items.length} items`)
        return items[position]
      }
      case 'Fn::Split': {
        const [delimiter, source] = asList(argument, 'Fn::Split')
        return asString(evaluate(source), 'Fn::Split').split(asString(delimiter, 'Fn::Split'))
      }
      case 'Fn::FindInMap': {
        const [map, top, second] = asList(argument, 'Fn::FindInMap').map((item) =>
          asString(evaluate(item), 'Fn::FindInMap'),
        )
        const found = context.mappings?.[map ?? '']?.[top ?? '']?.[second ?? '']
        if (found === undefined)
          return fail(new UnresolvableError(`Fn::FindInMap ${map}.${top}.${second}: no value`, key))
        return found
      }
      case 'Fn::Base64':
        return Buffer.from(asString(evaluate(argument), 'Fn::Base64'), 'utf8').toString('base64')
      case 'Fn::If': {
        const [name, whenTrue, whenFalse] = asList(argument, 'Fn::If')
        return evaluate(condition(asString(name, 'Fn::If')) ? whenTrue : whenFalse)
      }
      default:
        if (CONDITION_FUNCTIONS.has(key)) return truth(value, key)
        return fail(new UnresolvableError(`${key} is not evaluated locally`, key))
    }
  }

  return { evaluate }
}

/** Returns `value` with every intrinsic function evaluated (`AWS::NoValue` at the top: `undefined`). */
export const evaluate = (
  value: unknown,
  context: IntrinsicContext,
  mode: EvaluationMode = 'strict',
): unknown => {
  const result = evaluator(context, mode).evaluate(value)
  return result === NO_VALUE ? undefined : result
}

/** Whether the template condition `name` (of `context.conditions`) holds. */
export const conditionHolds = (name: string, context: IntrinsicContext): boolean =>
  evaluate({ Condition: name }, context, 'strict') === true

/**
 * Whether CloudFormation creates a resource (or output): it has no `Condition`, or its condition
 * holds in `context.conditions`. A resource whose condition is false does not exist in the stack.
 */
export const isCreated = (item: { readonly Condition?: string }, context: IntrinsicContext): boolean =>
  item.Condition === undefined || conditionHolds(item.Condition, context)

/** `evaluate` in strict mode: what cannot be resolved throws an UnresolvableError. */
export const resolveIntrinsics = (value: unknown, context: IntrinsicContext): unknown =>
  evaluate(value, context, 'strict')

import type { CfnTemplate } from '@app/cloudformation'
import { resourcesOfType } from '@app/cloudformation'
import { asList, isRecord, type Json, props, type Rule, referencedId, type Violation, violation } from './kit'

const isStreamSource = (arn: Json, template: CfnTemplate) => {
  const text = JSON.stringify(arn)
  if (/StreamArn|:dynamodb:|:kinesis:|\/stream\//.test(text)) return true
  const id = referencedId(arn)
  return id !== undefined && template.Resources[id]?.Type === 'AWS::Kinesis::Stream'
}

/** Resolves a FunctionName value to the function's logical id (through an alias if need be). */
const functionOf = (template: CfnTemplate, value: Json): { fn?: string; qualifier?: string } => {
  const id = referencedId(value)
  if (!id) return {}
  const resource = template.Resources[id]
  if (resource?.Type === 'AWS::Lambda::Function') return { fn: id, qualifier: '$LATEST' }
  if (resource?.Type === 'AWS::Lambda::Alias') {
    const fn = referencedId(props(resource).FunctionName)
    return { ...(fn ? { fn } : {}), qualifier: String(props(resource).Name) }
  }
  return {}
}

const ASYNC_PRINCIPALS = new Set([
  's3.amazonaws.com',
  'sns.amazonaws.com',
  'events.amazonaws.com',
  'scheduler.amazonaws.com',
  'logs.amazonaws.com',
  'iot.amazonaws.com',
  'ses.amazonaws.com',
])

/**
 * Stream consumers: on-failure destination, bounded retries, partial batch responses. Async targets
 * (S3, SNS, EventBridge, schedules): an on-failure destination or DLQ for the qualifier they invoke.
 */
export const lambdaConsumersOnFailure: Rule = {
  id: 'lambda-consumers-on-failure',
  beyondGuard: 'Control Tower has no rule on event source mappings or asynchronous invocation failures.',
  check: (template) => {
    const violations: Violation[] = []
    for (const [id, mapping] of resourcesOfType(template, 'AWS::Lambda::EventSourceMapping')) {
      const p = props(mapping)
      if (!asList(p.FunctionResponseTypes as Json[]).includes('ReportBatchItemFailures'))
        violations.push(violation(id, 'no ReportBatchItemFailures'))
      if (!isStreamSource(p.EventSourceArn, template)) continue
      const destination = p.DestinationConfig
      if (!isRecord(destination) || !isRecord(destination.OnFailure))
        violations.push(violation(id, 'stream without on-failure destination'))
      if (p.MaximumRetryAttempts === undefined || Number(p.MaximumRetryAttempts) < 0)
        violations.push(violation(id, 'unbounded retries (MaximumRetryAttempts)'))
    }

    const handled = new Set<string>()
    for (const [, config] of resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig')) {
      const p = props(config)
      const destination = p.DestinationConfig
      if (!isRecord(destination) || !isRecord(destination.OnFailure)) continue
      const { fn } = functionOf(template, p.FunctionName)
      if (fn) handled.add(`${fn}@${String(p.Qualifier)}`)
    }
    for (const [id, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
      if (isRecord(props(fn).DeadLetterConfig)) handled.add(`${id}@*`)
    }
    const invoked = new Map<string, { fn: string; qualifier: string; via: string }>()
    for (const [id, permission] of resourcesOfType(template, 'AWS::Lambda::Permission')) {
      if (!ASYNC_PRINCIPALS.has(String(props(permission).Principal))) continue
      const { fn, qualifier } = functionOf(template, props(permission).FunctionName)
      if (fn && qualifier) invoked.set(`${fn}@${qualifier}`, { fn, qualifier, via: id })
    }
    for (const [, subscription] of resourcesOfType(template, 'AWS::SNS::Subscription')) {
      if (props(subscription).Protocol !== 'lambda') continue
      const { fn, qualifier } = functionOf(template, props(subscription).Endpoint)
      if (fn && qualifier) invoked.set(`${fn}@${qualifier}`, { fn, qualifier, via: 'SNS subscription' })
    }
    for (const [key, { fn, qualifier, via }] of invoked) {
      if (handled.has(key) || handled.has(`${fn}@*`)) continue
      violations.push(
        violation(
          fn,
          `invoked asynchronously (${via}) as ${qualifier} without on-failure destination or DLQ`,
        ),
      )
    }
    return violations
  },
}

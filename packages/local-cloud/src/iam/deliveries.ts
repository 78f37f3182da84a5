/**
 * What AWS authorizes when one of its services acts for the templates instead of a function's own
 * SDK call: S3 publishing a notification to a topic (the topic policy, and the key policy when the
 * topic is encrypted), SNS sending to a subscribed queue (the queue policy), an SQS event source
 * mapping polling for its function (the function's role), Lambda sending a stream batch it gave up
 * on to the on-failure destination (the function's role), a state machine invoking its tasks (the
 * state machine's role), EventBridge invoking a rule's target and CloudWatch Logs invoking a
 * subscription filter's destination (the function's policy, i.e. its `AWS::Lambda::Permission`). Each delivery becomes the IAM requests AWS makes, with the condition
 * keys AWS sets (`aws:SourceArn`, `aws:SourceAccount`); the IAM engine decides.
 */
import type { CfnResource } from '@app/cloudformation'
import type { AuthorizationRequest } from './requests'

export type Delivery =
  | { kind: 's3-to-topic'; bucket: string; topicArn: string }
  | { kind: 'topic-to-queue'; topicArn: string; queueArn: string }
  | { kind: 'queue-to-function'; functionName: string; queueArn: string }
  | { kind: 'stream-failure-to-destination'; functionName: string; destinationArn: string }
  | { kind: 'state-machine-task'; stateMachineArn: string; functionArn: string }
  | { kind: 'rule-to-function'; functionArn: string; source: string; detailType: string }
  /** A log group's subscription filter delivering to its Lambda destination (`logGroupArn` ends in `:*`, as AWS's). */
  | { kind: 'log-subscription-to-function'; functionArn: string; logGroupArn: string }

/** What the packaged templates say about the paths above, resolved to local ARNs. */
export interface DeliveryIndex {
  /** Encrypted topics: topic ARN → its KMS key's ARN. */
  readonly topicKeys: ReadonlyMap<string, string>
  /** State machine ARN → its role's ARN. */
  readonly stateMachineRoles: ReadonlyMap<string, string>
  /** EventBridge rules (default bus) with the ARNs of their targets and their pattern. */
  readonly rules: readonly { arn: string; targets: readonly string[]; pattern: unknown }[]
  /** Subscription filters: the log group's name and the destination's ARN. */
  readonly subscriptions: readonly { logGroupName: string; destinationArn: string }[]
}

/** The delivery paths of one packaged template, its intrinsics resolved by `resolve` (local ARNs). */
export const deliveryIndexOf = (
  resources: Readonly<Record<string, CfnResource>>,
  resolve: (value: unknown) => unknown,
): DeliveryIndex => {
  const keyArns = new Map<string, string>()
  for (const [logicalId, resource] of Object.entries(resources))
    if (resource.Type === 'AWS::KMS::Key') {
      const arn = String(resolve({ 'Fn::GetAtt': [logicalId, 'Arn'] }))
      keyArns.set(String(resolve({ Ref: logicalId })), arn)
      keyArns.set(arn, arn)
    }
  const topicKeys = new Map<string, string>()
  const stateMachineRoles = new Map<string, string>()
  const rules: { arn: string; targets: string[]; pattern: unknown }[] = []
  const subscriptions: { logGroupName: string; destinationArn: string }[] = []
  for (const [logicalId, resource] of Object.entries(resources)) {
    const props = resource.Properties ?? {}
    if (resource.Type === 'AWS::SNS::Topic' && props.KmsMasterKeyId !== undefined) {
      const key = String(resolve(props.KmsMasterKeyId))
      // An AWS-managed key (alias/aws/sns) keeps its alias: no policy of ours grants it to a service.
      topicKeys.set(String(resolve({ Ref: logicalId })), keyArns.get(key) ?? key)
    }
    if (resource.Type === 'AWS::StepFunctions::StateMachine' && props.RoleArn !== undefined)
      stateMachineRoles.set(String(resolve({ Ref: logicalId })), String(resolve(props.RoleArn)))
    if (resource.Type === 'AWS::Events::Rule' && props.State !== 'DISABLED')
      rules.push({
        arn: String(resolve({ 'Fn::GetAtt': [logicalId, 'Arn'] })),
        targets: ((props.Targets as { Arn?: unknown }[] | undefined) ?? []).map((target) =>
          String(resolve(target.Arn)),
        ),
        pattern: resolve(props.EventPattern),
      })
    if (resource.Type === 'AWS::Logs::SubscriptionFilter')
      subscriptions.push({
        logGroupName: String(resolve(props.LogGroupName)),
        destinationArn: String(resolve(props.DestinationArn)),
      })
  }
  return { topicKeys, stateMachineRoles, rules, subscriptions }
}

/** Who acts: an AWS service principal, a function's role, or another template role (a state machine's). */
export type DeliveryCaller =
  | { service: string }
  | { functionName: string }
  | { roleArn: string; sessionName: string }

export type DeliveryCalls =
  | { ok: true; caller: DeliveryCaller; requests: AuthorizationRequest[]; what: string }
  | { ok: false; reason: string; what: string }

const patternAllows = (field: unknown, value: string) =>
  field === undefined || (Array.isArray(field) && field.includes(value))

/** The IAM requests AWS makes for one delivery (or why none can be made: nothing in the templates allows the path). */
export const deliveryCalls = (delivery: Delivery, index: DeliveryIndex, accountId: string): DeliveryCalls => {
  const source = (arn: string) => ({ 'aws:SourceArn': arn, 'aws:SourceAccount': accountId })
  const on = (action: string, resource: string, context: AuthorizationRequest['context'] = {}) => ({
    action,
    resource,
    context,
  })
  switch (delivery.kind) {
    case 's3-to-topic': {
      const bucketArn = `arn:aws:s3:::${delivery.bucket}`
      const key = index.topicKeys.get(delivery.topicArn)
      return {
        ok: true,
        caller: { service: 's3.amazonaws.com' },
        what: `S3 notification ${delivery.bucket} -> SNS ${delivery.topicArn}`,
        requests: [
          on('sns:Publish', delivery.topicArn, source(bucketArn)),
          // SNS encrypts with the topic's key on the publisher's behalf: S3 needs the key policy's grant.
          ...(key
            ? [on('kms:GenerateDataKey', key, source(bucketArn)), on('kms:Decrypt', key, source(bucketArn))]
            : []),
        ],
      }
    }
    case 'topic-to-queue':
      return {
        ok: true,
        caller: { service: 'sns.amazonaws.com' },
        what: `SNS ${delivery.topicArn} -> SQS ${delivery.queueArn}`,
        requests: [on('sqs:SendMessage', delivery.queueArn, source(delivery.topicArn))],
      }
    case 'queue-to-function':
      // What Lambda's poller calls with the function's role (CreateEventSourceMapping checks the same).
      return {
        ok: true,
        caller: { functionName: delivery.functionName },
        what: `SQS event source mapping ${delivery.queueArn} -> ${delivery.functionName}`,
        requests: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'].map((action) =>
          on(action, delivery.queueArn),
        ),
      }
    case 'stream-failure-to-destination': {
      const sns = delivery.destinationArn.startsWith('arn:aws:sns:')
      return {
        ok: true,
        caller: { functionName: delivery.functionName },
        what: `on-failure destination of ${delivery.functionName} -> ${delivery.destinationArn}`,
        requests: [on(sns ? 'sns:Publish' : 'sqs:SendMessage', delivery.destinationArn)],
      }
    }
    case 'state-machine-task': {
      const what = `state machine ${delivery.stateMachineArn} -> ${delivery.functionArn}`
      const roleArn = index.stateMachineRoles.get(delivery.stateMachineArn)
      if (!roleArn) return { ok: false, what, reason: 'the state machine has no role in the templates' }
      return {
        ok: true,
        caller: { roleArn, sessionName: delivery.stateMachineArn.split(':').at(-1)! },
        what,
        requests: [on('lambda:InvokeFunction', delivery.functionArn)],
      }
    }
    case 'rule-to-function': {
      const what = `EventBridge ${delivery.detailType} -> ${delivery.functionArn}`
      const rule = index.rules.find(({ targets, pattern }) => {
        const p = (pattern ?? {}) as Record<string, unknown>
        return (
          targets.includes(delivery.functionArn) &&
          patternAllows(p.source, delivery.source) &&
          patternAllows(p['detail-type'], delivery.detailType)
        )
      })
      if (!rule)
        return { ok: false, what, reason: 'no EventBridge rule of the templates targets the function' }
      return {
        ok: true,
        caller: { service: 'events.amazonaws.com' },
        what: `EventBridge rule ${rule.arn} -> ${delivery.functionArn}`,
        requests: [on('lambda:InvokeFunction', delivery.functionArn, source(rule.arn))],
      }
    }
    case 'log-subscription-to-function': {
      const what = `CloudWatch Logs ${delivery.logGroupArn} -> ${delivery.functionArn}`
      // arn:aws:logs:<region>:<account>:log-group:<name>:* (names hold no colon).
      const logGroupName = delivery.logGroupArn.split(':')[6]
      const subscribed = index.subscriptions.some(
        (filter) => filter.logGroupName === logGroupName && filter.destinationArn === delivery.functionArn,
      )
      if (!subscribed)
        return {
          ok: false,
          what,
          reason: 'no subscription filter of the templates sends the log group there',
        }
      return {
        ok: true,
        caller: { service: 'logs.amazonaws.com' },
        what,
        requests: [on('lambda:InvokeFunction', delivery.functionArn, source(delivery.logGroupArn))],
      }
    }
  }
}

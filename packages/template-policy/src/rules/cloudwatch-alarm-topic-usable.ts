import { resourcesOfType } from '@app/cloudformation'
import { asList, isRecord, type Json, props, type Rule, referencedId, type Violation, violation } from './kit'

const ACTIONS = ['AlarmActions', 'OKActions', 'InsufficientDataActions'] as const

/** Whether a key policy lets cloudwatch.amazonaws.com encrypt messages for the topic. */
const lets = (policy: Json, action: string) =>
  isRecord(policy) &&
  asList(policy.Statement as Json[]).some((statement) => {
    if (!isRecord(statement) || statement.Effect !== 'Allow') return false
    const principal = isRecord(statement.Principal) ? statement.Principal.Service : undefined
    if (!asList(principal as Json[]).includes('cloudwatch.amazonaws.com')) return false
    return asList(statement.Action as string[]).some(
      (granted) =>
        granted === 'kms:*' ||
        granted === action ||
        (granted.endsWith('*') && action.startsWith(granted.slice(0, -1))),
    )
  })

/** Why CloudWatch cannot publish to the topic, or undefined when it can (or we cannot tell). */
const unusable = (template: Parameters<Rule['check']>[0], topicId: string): string | undefined => {
  const key = props(template.Resources[topicId] ?? { Type: '' }).KmsMasterKeyId
  if (key === undefined) return undefined
  if (typeof key === 'string') {
    // The AWS managed key's policy cannot be changed and does not admit CloudWatch.
    return /(^|\/)aws\/sns$/.test(key) ? `is encrypted with the AWS managed key ${key}` : undefined
  }
  const keyId = referencedId(key)
  const keyResource = keyId ? template.Resources[keyId] : undefined
  if (keyResource?.Type !== 'AWS::KMS::Key') return undefined
  const missing = ['kms:Decrypt', 'kms:GenerateDataKey'].filter(
    (action) => !lets(props(keyResource).KeyPolicy, action),
  )
  return missing.length
    ? `is encrypted with ${keyId}, whose key policy does not let cloudwatch.amazonaws.com ${missing.join(' and ')}`
    : undefined
}

export const cloudwatchAlarmTopicUsable: Rule = {
  id: 'cloudwatch-alarm-topic-usable',
  beyondGuard:
    'Control Tower wants SNS topics encrypted, which pushes toward alias/aws/sns, but CloudWatch cannot ' +
    'publish to a topic under the AWS managed key (its policy does not admit cloudwatch.amazonaws.com): ' +
    'the alarm fires and nobody is told. No guard rule follows an alarm action to its topic’s key.',
  check: (template) => {
    const violations: Violation[] = []
    for (const [id, alarm] of resourcesOfType(template, 'AWS::CloudWatch::Alarm')) {
      const topics = new Set(
        ACTIONS.flatMap((name) => asList(props(alarm)[name] as Json[]))
          .map(referencedId)
          .filter((topic): topic is string => template.Resources[topic ?? '']?.Type === 'AWS::SNS::Topic'),
      )
      for (const topic of topics) {
        const why = unusable(template, topic)
        if (why)
          violations.push(violation(id, `notifies ${topic}, which ${why}: CloudWatch cannot publish to it`))
      }
    }
    return violations
  },
}

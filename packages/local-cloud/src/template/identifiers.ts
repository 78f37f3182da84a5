/**
 * The identifiers CloudFormation would give resources that have no provisioned stand-in but exist
 * locally in another form: SNS topics and SQS queues (in-process, ../wiring/s3-notifications.ts),
 * state machines (the local Step Functions host), Lambda functions (sandboxes), EventBridge rules
 * (the host's status events), log groups (the host's log subscriptions), CloudFront distributions (invalidations), KMS keys and IAM roles (evaluated by the AWS gateway). Their `Ref` and
 * `Fn::GetAtt` values follow from the template alone (names, account, region), so outputs, policies
 * and conditions that name them resolve to the same ARNs on every side, as in AWS.
 */
import { createHash } from 'node:crypto'
import {
  type CfnResource,
  type IntrinsicContext,
  resolveIntrinsics,
  UnresolvableError,
} from '@app/cloudformation'

type Identifiers = Pick<IntrinsicContext, 'refs' | 'attributes'>

/** A key id shaped like KMS's (a UUID), stable per stack and logical id. */
const keyIdOf = (stackName: string, logicalId: string) => {
  const hex = createHash('sha256').update(`${stackName}/${logicalId}`).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

/**
 * Refs and attributes of the template's resources of those types, given what is known already
 * (`context`: the stand-ins' refs and attributes). Names that cannot be resolved locally are left
 * out, so a reference to them stays unresolved instead of resolving wrongly.
 */
export const templateOnlyIdentifiers = (
  resources: Readonly<Record<string, CfnResource>>,
  context: IntrinsicContext & { stackName: string },
): Identifiers => {
  const { region, accountId, stackName } = context
  const refs: Record<string, unknown> = {}
  const attributes: Record<string, Record<string, unknown>> = {}
  const nameOf = (value: unknown, fallback: string): string | undefined => {
    if (value === undefined) return fallback
    try {
      const resolved = resolveIntrinsics(value, context)
      return typeof resolved === 'string' ? resolved : undefined
    } catch (error) {
      if (error instanceof UnresolvableError) return undefined
      throw error
    }
  }
  // CloudFormation's generated names: `<stack>-<LogicalId>-<random>`; locally without the suffix.
  const generated = (logicalId: string) => `${stackName}-${logicalId}`
  for (const [logicalId, resource] of Object.entries(resources)) {
    const props = resource.Properties ?? {}
    switch (resource.Type) {
      case 'AWS::SNS::Topic': {
        const name = nameOf(props.TopicName, generated(logicalId))
        if (!name) break
        const arn = `arn:aws:sns:${region}:${accountId}:${name}`
        refs[logicalId] = arn
        attributes[logicalId] = { TopicArn: arn, TopicName: name }
        break
      }
      case 'AWS::SQS::Queue': {
        const name = nameOf(props.QueueName, generated(logicalId))
        if (!name) break
        refs[logicalId] = `https://sqs.${region}.amazonaws.com/${accountId}/${name}`
        attributes[logicalId] = {
          Arn: `arn:aws:sqs:${region}:${accountId}:${name}`,
          QueueName: name,
          QueueUrl: refs[logicalId],
        }
        break
      }
      case 'AWS::KMS::Key': {
        const id = keyIdOf(stackName, logicalId)
        refs[logicalId] = id
        attributes[logicalId] = { Arn: `arn:aws:kms:${region}:${accountId}:key/${id}`, KeyId: id }
        break
      }
      case 'AWS::Lambda::Function': {
        const name = nameOf(props.FunctionName, generated(logicalId))
        if (!name) break
        refs[logicalId] = name
        attributes[logicalId] = { Arn: `arn:aws:lambda:${region}:${accountId}:function:${name}` }
        break
      }
      case 'AWS::StepFunctions::StateMachine': {
        const name = nameOf(props.StateMachineName, generated(logicalId))
        if (!name) break
        const arn = `arn:aws:states:${region}:${accountId}:stateMachine:${name}`
        refs[logicalId] = arn
        attributes[logicalId] = { Arn: arn, Name: name }
        break
      }
      case 'AWS::Events::Rule': {
        const name = nameOf(props.Name, generated(logicalId))
        if (!name) break
        // A rule on a custom bus carries the bus in its ARN; ours are on the default bus.
        refs[logicalId] = name
        attributes[logicalId] = { Arn: `arn:aws:events:${region}:${accountId}:rule/${name}` }
        break
      }
      case 'AWS::Logs::LogGroup': {
        // Log groups exist locally as the Step Functions host's log subscriptions (wiring/step-functions.ts).
        const name = nameOf(props.LogGroupName, generated(logicalId))
        if (!name) break
        refs[logicalId] = name
        // CloudFormation's Arn attribute of a log group ends in `:*` (its streams).
        attributes[logicalId] = { Arn: `arn:aws:logs:${region}:${accountId}:log-group:${name}:*` }
        break
      }
      case 'AWS::CloudFront::Distribution': {
        // CloudFront's ids: 'E' and 13 upper-case letters or digits. No DomainName: the local edge
        // is not at <id>.cloudfront.net, so what links to the site keeps its local value.
        const id = `E${createHash('sha256').update(`${stackName}/${logicalId}`).digest('hex').slice(0, 13).toUpperCase()}`
        refs[logicalId] = id
        attributes[logicalId] = { Id: id }
        break
      }
      case 'AWS::IAM::Role': {
        const name = nameOf(props.RoleName, logicalId)
        if (!name) break
        refs[logicalId] = name
        attributes[logicalId] = { Arn: `arn:aws:iam::${accountId}:role/${name}`, RoleId: name }
        break
      }
    }
  }
  return { refs, attributes }
}

/** `context` with the template-only identifiers added (the stand-ins' own refs win). */
export const withTemplateOnlyIdentifiers = <C extends IntrinsicContext & { stackName: string }>(
  resources: Readonly<Record<string, CfnResource>>,
  context: C,
): C => {
  const extra = templateOnlyIdentifiers(resources, context)
  return {
    ...context,
    refs: { ...extra.refs, ...context.refs },
    attributes: { ...extra.attributes, ...context.attributes },
  }
}

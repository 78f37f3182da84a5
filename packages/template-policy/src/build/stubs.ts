/**
 * Stand-in values for compose outputs when nothing is deployed. A downstream service is packaged with
 * the value its upstream *would* output: each `Outputs.<Name>.Value` of the upstream's packaged
 * template is evaluated with the physical names the template itself declares and CloudFormation's
 * documented Ref/GetAtt shapes. Every stub lives in the fake account below, so a stub can never be
 * mistaken for a real ARN (AWS issues no account 000000000000).
 */
import { type CfnTemplate, evaluate, type IntrinsicContext, UnresolvableError } from '@app/cloudformation'

export const STUB_ACCOUNT_ID = '000000000000'

export interface StubContext {
  readonly region: string
  readonly stackName: string
}

type Resource = CfnTemplate['Resources'][string]

/** The property that holds a resource's physical name, per type (when the template sets one). */
const NAME_PROPERTY: Record<string, string> = {
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
  'AWS::Cognito::UserPool': 'UserPoolName',
  'AWS::Cognito::IdentityPool': 'IdentityPoolName',
  'AWS::Events::EventBus': 'Name',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::ApiGateway::RestApi': 'Name',
  'AWS::SecretsManager::Secret': 'Name',
}

const alnum = (text: string) => text.replace(/[^A-Za-z0-9]/g, '')

export const createStubEvaluator = (template: CfnTemplate, ctx: StubContext) => {
  const resources = (template.Resources ?? {}) as Record<string, Resource>

  const resourceOf = (id: string): Resource => {
    const resource = resources[id]
    if (!resource) throw new Error(`output refers to ${id}, which the template does not declare`)
    return resource
  }

  const physicalName = (id: string): string => {
    const resource = resourceOf(id)
    const property = NAME_PROPERTY[resource.Type]
    const declared = property ? resource.Properties?.[property] : undefined
    // CloudFormation generates `<stack>-<logicalId>-<suffix>` when no name is set.
    return declared === undefined ? `${ctx.stackName}-${id}-STUB` : stub(declared)
  }

  const arn = (id: string): string => {
    const { Type } = resourceOf(id)
    const name = physicalName(id)
    const at = `${ctx.region}:${STUB_ACCOUNT_ID}`
    switch (Type) {
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
        return `arn:aws:dynamodb:${at}:table/${name}`
      case 'AWS::S3::Bucket':
        return `arn:aws:s3:::${name}`
      case 'AWS::SNS::Topic':
        return `arn:aws:sns:${at}:${name}`
      case 'AWS::SQS::Queue':
        return `arn:aws:sqs:${at}:${name}`
      case 'AWS::Lambda::Function':
        return `arn:aws:lambda:${at}:function:${name}`
      case 'AWS::StepFunctions::StateMachine':
        return `arn:aws:states:${at}:stateMachine:${name}`
      case 'AWS::Cognito::UserPool':
        return `arn:aws:cognito-idp:${at}:userpool/${ref(id)}`
      case 'AWS::Events::EventBus':
        return `arn:aws:events:${at}:event-bus/${name}`
      case 'AWS::KMS::Key':
        return `arn:aws:kms:${at}:key/${ref(id)}`
      case 'AWS::IAM::Role':
        return `arn:aws:iam::${STUB_ACCOUNT_ID}:role/${name}`
      default: {
        const service = Type.split('::')[1]?.toLowerCase() ?? 'unknown'
        return `arn:aws:${service}:${at}:${id}-STUB`
      }
    }
  }

  /** What `Ref` returns, per the resource type's documentation. */
  const ref = (id: string): string => {
    const { Type } = resourceOf(id)
    switch (Type) {
      case 'AWS::SNS::Topic':
      case 'AWS::StepFunctions::StateMachine':
      case 'AWS::Events::EventBus':
        return arn(id)
      case 'AWS::SQS::Queue':
        return `https://sqs.${ctx.region}.amazonaws.com/${STUB_ACCOUNT_ID}/${physicalName(id)}`
      case 'AWS::Cognito::UserPool':
        return `${ctx.region}_STUB${alnum(id)}`.slice(0, 55)
      case 'AWS::Cognito::UserPoolClient':
        return `stub${alnum(id).toLowerCase()}`.padEnd(26, '0').slice(0, 26)
      case 'AWS::Cognito::IdentityPool':
        return `${ctx.region}:00000000-0000-0000-0000-000000000000`
      case 'AWS::KMS::Key':
        return '00000000-0000-0000-0000-000000000000'
      case 'AWS::ApiGateway::RestApi':
      case 'AWS::ApiGatewayV2::Api':
      case 'AWS::CloudFront::Distribution':
        return `STUB${alnum(id)}`.slice(0, 14)
      default:
        return physicalName(id)
    }
  }

  /** What `Fn::GetAtt` returns for the attributes services export (`undefined`: a marker stands in). */
  const getAtt = (id: string, attribute: string): string | undefined => {
    const { Type } = resourceOf(id)
    switch (attribute) {
      case 'Arn':
        return arn(id)
      case 'StreamArn':
      case 'LatestStreamArn':
        return `${arn(id)}/stream/1970-01-01T00:00:00.000`
      case 'ProviderName':
        return `cognito-idp.${ctx.region}.amazonaws.com/${ref(id)}`
      case 'ProviderURL':
        return `https://cognito-idp.${ctx.region}.amazonaws.com/${ref(id)}`
      case 'DomainName':
        if (Type === 'AWS::CloudFront::Distribution') return `${ref(id).toLowerCase()}.cloudfront.net`
        return `${physicalName(id)}.s3.amazonaws.com`
      case 'RegionalDomainName':
        return `${physicalName(id)}.s3.${ctx.region}.amazonaws.com`
      case 'QueueName':
      case 'TopicName':
      case 'Name':
        return physicalName(id)
      case 'QueueUrl':
        return ref(id)
      case 'RootResourceId':
      case 'Id':
        return `STUB${alnum(id)}`.slice(0, 10)
      default:
        return undefined
    }
  }

  const context: IntrinsicContext = {
    region: ctx.region,
    accountId: STUB_ACCOUNT_ID,
    stackName: ctx.stackName,
    stackId: `arn:aws:cloudformation:${ctx.region}:${STUB_ACCOUNT_ID}:stack/${ctx.stackName}/00000000-0000-0000-0000-000000000000`,
    ref,
    getAtt,
    ...(template.Conditions ? { conditions: template.Conditions } : {}),
  }
  // Marker mode: an attribute no stub shape is known for becomes `<id>.<attribute>-STUB`, recognisably
  // not real; anything else that cannot be stubbed (Fn::ImportValue...) is an error.
  const marker = (error: UnresolvableError): string => {
    if (error.intrinsic === 'Fn::GetAtt') return `${error.logicalId}.${error.attribute}-STUB`
    throw error
  }

  /** Evaluates an output value to the string the upstream would output. */
  const stub = (value: unknown): string => {
    let result: unknown
    try {
      result = evaluate(value, context, { marker })
    } catch (error) {
      if (!(error instanceof UnresolvableError)) throw error
      throw new Error(`cannot stub output value ${JSON.stringify(value)}: ${error.message}`, { cause: error })
    }
    if (typeof result === 'string' || typeof result === 'number' || typeof result === 'boolean')
      return String(result)
    throw new Error(`cannot stub output value ${JSON.stringify(value)}`)
  }

  return stub
}

export interface StubOutput {
  readonly value: string
  /** The template expression the value stands in for, kept so a reader can trace it. */
  readonly from: unknown
}

/** Stub values for every output of a packaged template. */
export const stubOutputs = (template: CfnTemplate, ctx: StubContext): Record<string, StubOutput> => {
  const evaluate = createStubEvaluator(template, ctx)
  return Object.fromEntries(
    Object.entries(template.Outputs ?? {}).map(([name, output]) => [
      name,
      { value: evaluate(output.Value), from: output.Value },
    ]),
  )
}

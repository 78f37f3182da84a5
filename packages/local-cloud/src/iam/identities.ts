/**
 * Who each local function is, in IAM terms: its execution role and that role's policies, read from
 * the service's packaged CloudFormation template (`pnpm package --stage local`, the template the
 * policy checks run on, with the role serverless-iam-roles-per-function generates), never
 * re-declared. Intrinsics are resolved against the local resources; references to compose outputs
 * were packaged as stubs and are swapped for the values the local cloud really produced.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto'
import {
  type CfnResource,
  getAttTarget,
  type IntrinsicContext,
  resolveIntrinsics,
  UnresolvableError,
} from '@app/cloudformation'
import { awsShapedArn } from './requests'
import type { Credentials } from './sigv4'

export interface PolicyDocument {
  Version?: string
  Statement: Record<string, unknown>[] | Record<string, unknown>
}

export interface FunctionIdentity {
  service: string
  /** The deployed function name (`AWS_LAMBDA_FUNCTION_NAME`). */
  functionName: string
  roleArn: string
  /** The principal of its calls: the role session Lambda assumes. */
  sessionArn: string
  policies: { name: string; document: PolicyDocument }[]
  /** Managed policies the role attaches whose documents are not in the template (AWS-managed). */
  unevaluatedManagedPolicies: string[]
}

/** Stubbed compose output values (as packaged) and what the local cloud produced for them. */
export interface StubSwap {
  stub: string
  actual: string
}

/** A value no local resource matches, so a statement naming it grants nothing locally. */
const unavailable = (reason: string) => `arn:aws:local:::unavailable-locally/${reason.replace(/\s+/g, '_')}`

const isIntrinsic = (value: object) => {
  const keys = Object.keys(value)
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'))
}

/** Resolves every intrinsic in a policy document; what has no local value becomes a marker ARN. */
const resolveDocument = (value: unknown, context: IntrinsicContext, swaps: readonly StubSwap[]): unknown => {
  if (typeof value === 'string') {
    let swapped = value
    for (const { stub, actual } of swaps)
      if (swapped.includes(stub)) swapped = swapped.split(stub).join(actual)
    return awsShapedArn(swapped, context.region)
  }
  if (Array.isArray(value)) return value.map((item) => resolveDocument(item, context, swaps))
  if (!value || typeof value !== 'object') return value
  if (isIntrinsic(value)) {
    try {
      return resolveDocument(resolveIntrinsics(value, context), context, swaps)
    } catch (error) {
      if (!(error instanceof UnresolvableError)) throw error
      return unavailable(error.message)
    }
  }
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, resolveDocument(item, context, swaps)]),
  )
}

/** The role a function's `Role: { Fn::GetAtt: [<role>, Arn] }` names. */
const logicalIdOfRole = (role: unknown): string | undefined => {
  const [logicalId, attribute] = getAttTarget(role) ?? []
  return attribute === 'Arn' ? logicalId : undefined
}

const refersTo = (list: unknown, logicalId: string) =>
  Array.isArray(list) &&
  list.some((item) => item && typeof item === 'object' && (item as { Ref?: string }).Ref === logicalId)

/** A role's policies as the template declares them (inline, its managed policies, attached policies). */
export const rolePolicies = (
  resources: Record<string, CfnResource>,
  roleId: string,
  resolve: (value: unknown) => unknown,
): Pick<FunctionIdentity, 'policies' | 'unevaluatedManagedPolicies'> & { roleName: string } => {
  const role = resources[roleId]!
  const roleName = String(resolve(role.Properties?.RoleName ?? roleId))
  const policies: FunctionIdentity['policies'] = []
  for (const [index, policy] of ((role.Properties?.Policies as Record<string, unknown>[]) ?? []).entries())
    policies.push({
      name: `${roleName}/inline-${index}`,
      document: resolve(policy.PolicyDocument) as PolicyDocument,
    })
  const unevaluatedManagedPolicies: string[] = []
  for (const arn of (role.Properties?.ManagedPolicyArns as unknown[]) ?? []) {
    const managedId = arn && typeof arn === 'object' ? (arn as { Ref?: string }).Ref : undefined
    const managed = managedId ? resources[managedId] : undefined
    if (managed?.Type === 'AWS::IAM::ManagedPolicy')
      policies.push({
        name: managedId!,
        document: resolve(managed.Properties?.PolicyDocument) as PolicyDocument,
      })
    else unevaluatedManagedPolicies.push(String(resolve(arn)))
  }
  // Policies declared as their own resources and attached to the role.
  for (const [policyId, policy] of Object.entries(resources)) {
    if (policy.Type !== 'AWS::IAM::Policy' && policy.Type !== 'AWS::IAM::ManagedPolicy') continue
    if (!refersTo(policy.Properties?.Roles, roleId)) continue
    policies.push({ name: policyId, document: resolve(policy.Properties?.PolicyDocument) as PolicyDocument })
  }
  return { roleName, policies, unevaluatedManagedPolicies }
}

/** The ARN of a template role: its RoleName, or its logical id where CloudFormation would generate one. */
export const roleArnOf = (
  resources: Record<string, CfnResource>,
  roleId: string,
  resolve: (value: unknown) => unknown,
  accountId: string,
) => `arn:aws:iam::${accountId}:role/${String(resolve(resources[roleId]?.Properties?.RoleName ?? roleId))}`

export const documentResolver =
  (context: IntrinsicContext, swaps: readonly StubSwap[] = []) =>
  (value: unknown) =>
    resolveDocument(value, context, swaps)

/** Every Lambda function of a packaged template with the policies of its role. */
export const functionIdentities = (
  service: string,
  resources: Record<string, CfnResource>,
  context: IntrinsicContext,
  swaps: readonly StubSwap[] = [],
): FunctionIdentity[] => {
  const resolve = (value: unknown) => resolveDocument(value, context, swaps)
  const identities: FunctionIdentity[] = []
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue
    const functionName = String(resolve(resource.Properties?.FunctionName ?? logicalId))
    const roleId = logicalIdOfRole(resource.Properties?.Role)
    const role = roleId ? resources[roleId] : undefined
    if (!roleId || role?.Type !== 'AWS::IAM::Role') continue
    const { roleName, policies, unevaluatedManagedPolicies } = rolePolicies(resources, roleId, resolve)
    identities.push({
      service,
      functionName,
      roleArn: `arn:aws:iam::${context.accountId}:role/${roleName}`,
      sessionArn: `arn:aws:sts::${context.accountId}:assumed-role/${roleName}/${functionName}`,
      policies,
      unevaluatedManagedPolicies,
    })
  }
  return identities
}

/** An SQS queue URL (what `Ref` of a queue gives) as its ARN; other values as they are. */
const queueArnOf = (value: string) => {
  const url = /^https?:\/\/sqs\.([^.]+)\.[^/]+\/(\d+)\/([^/?]+)$/.exec(value)
  return url ? `arn:aws:sqs:${url[1]}:${url[2]}:${url[3]}` : value
}

const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value])

const statementsOf = (document: PolicyDocument) =>
  Array.isArray(document.Statement) ? document.Statement : [document.Statement]

/**
 * Resource policies the template declares, by the ARN of the resource they guard: bucket, topic and
 * queue policies, KMS key policies, and each Lambda function's policy as its `AWS::Lambda::Permission`
 * resources make it (one statement per permission, with the source conditions AWS adds). Several
 * policies on one resource are merged into one document, as AWS evaluates them together.
 */
export const resourcePolicies = (
  resources: Record<string, CfnResource>,
  context: IntrinsicContext,
  swaps: readonly StubSwap[] = [],
): Map<string, PolicyDocument> => {
  const resolve = (value: unknown) => resolveDocument(value, context, swaps)
  const policies = new Map<string, PolicyDocument>()
  const add = (arn: string, statements: Record<string, unknown>[]) => {
    const existing = policies.get(arn)
    policies.set(arn, {
      Version: '2012-10-17',
      Statement: [...(existing ? statementsOf(existing) : []), ...statements],
    })
  }
  for (const [logicalId, resource] of Object.entries(resources)) {
    const props = resource.Properties ?? {}
    switch (resource.Type) {
      case 'AWS::S3::BucketPolicy':
        add(
          `arn:aws:s3:::${String(resolve(props.Bucket))}`,
          statementsOf(resolve(props.PolicyDocument) as PolicyDocument),
        )
        break
      case 'AWS::SNS::TopicPolicy':
        for (const topic of listOf(props.Topics))
          add(String(resolve(topic)), statementsOf(resolve(props.PolicyDocument) as PolicyDocument))
        break
      case 'AWS::SQS::QueuePolicy':
        for (const queue of listOf(props.Queues))
          add(
            queueArnOf(String(resolve(queue))),
            statementsOf(resolve(props.PolicyDocument) as PolicyDocument),
          )
        break
      case 'AWS::KMS::Key':
        if (props.KeyPolicy)
          add(
            String(resolve({ 'Fn::GetAtt': [logicalId, 'Arn'] })),
            statementsOf(resolve(props.KeyPolicy) as PolicyDocument),
          )
        break
      case 'AWS::Lambda::Permission': {
        const target = String(resolve(props.FunctionName))
        // FunctionName may be a name, an ARN or a partial ARN; the policy guards the function's ARN.
        const arn = target.startsWith('arn:')
          ? target
          : `arn:aws:lambda:${context.region}:${context.accountId}:function:${target}`
        const principal = String(resolve(props.Principal))
        const condition: Record<string, Record<string, unknown>> = {}
        if (props.SourceArn !== undefined) condition.ArnLike = { 'aws:SourceArn': resolve(props.SourceArn) }
        if (props.SourceAccount !== undefined)
          condition.StringEquals = { 'aws:SourceAccount': resolve(props.SourceAccount) }
        add(arn, [
          {
            Sid: logicalId,
            Effect: 'Allow',
            Principal: principal.endsWith('.amazonaws.com') ? { Service: principal } : { AWS: principal },
            Action: String(resolve(props.Action)),
            Resource: arn,
            ...(Object.keys(condition).length ? { Condition: condition } : {}),
          },
        ])
        break
      }
    }
  }
  return policies
}

/**
 * Temporary credentials per function, as Lambda hands its role's session to the function through
 * its environment. Derived from a key only the local cloud holds, so the gateway recognises them
 * and no function can mint another's.
 */
export const credentialsMinter = (key: Buffer = randomBytes(32)) => {
  const mint = (functionName: string): Credentials => {
    const digest = createHmac('sha256', key).update(`access-key:${functionName}`).digest()
    return {
      // ASIA: AWS's prefix for temporary (STS) access keys.
      accessKeyId: `ASIA${digest.toString('hex').slice(0, 16).toUpperCase()}`,
      secretAccessKey: createHmac('sha256', key).update(`secret:${functionName}`).digest('base64'),
      sessionToken: createHash('sha256').update(digest).digest('base64'),
    }
  }
  return { key, mint }
}

/**
 * The deliveries AWS's services make for a template, evaluated by the real gateway and IAM engine
 * against a template in the shapes our services use (S3 → encrypted SNS → SQS → Lambda, a stream
 * consumer's on-failure queue, a state machine's role, an EventBridge rule's and a log
 * subscription's Lambda permission):
 * each goes ahead as the template stands, and each is refused once the template lacks the one
 * statement (or permission) that allows it, as AWS would refuse it.
 */
import type { CfnResource, CfnTemplate } from '@app/cloudformation'
import { afterEach, describe, expect, it } from 'vitest'
import { withTemplateOnlyIdentifiers } from '../template/identifiers'
import { type Caller, type RunningAwsGateway, startAwsGateway } from './aws-gateway'
import { type Delivery, deliveryCalls, deliveryIndexOf } from './deliveries'
import {
  credentialsMinter,
  documentResolver,
  functionIdentities,
  resourcePolicies,
  roleArnOf,
  rolePolicies,
} from './identities'

const account = '000000000000'
const region = 'us-east-1'
const getAtt = (id: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [id, attribute] })
const role = (name: string, statements: Record<string, unknown>[]): CfnResource => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    RoleName: name,
    Policies: [{ PolicyName: 'own', PolicyDocument: { Version: '2012-10-17', Statement: statements } }],
  },
})
const fn = (name: string, roleId: string): CfnResource => ({
  Type: 'AWS::Lambda::Function',
  Properties: { FunctionName: name, Role: getAtt(roleId) },
})

const template = (): CfnTemplate => ({
  Resources: {
    UploadsBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'fx-uploads' } },
    TopicKey: {
      Type: 'AWS::KMS::Key',
      Properties: {
        KeyPolicy: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'S3PublishesEncrypted',
              Effect: 'Allow',
              Principal: { Service: 's3.amazonaws.com' },
              Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
              Resource: '*',
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            },
          ],
        },
      },
    },
    Topic: {
      Type: 'AWS::SNS::Topic',
      Properties: { TopicName: 'fx-uploaded', KmsMasterKeyId: { Ref: 'TopicKey' } },
    },
    TopicPolicy: {
      Type: 'AWS::SNS::TopicPolicy',
      Properties: {
        Topics: [{ Ref: 'Topic' }],
        PolicyDocument: {
          Statement: [
            {
              Sid: 'UploadsPublish',
              Effect: 'Allow',
              Principal: { Service: 's3.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: { Ref: 'Topic' },
              Condition: { ArnEquals: { 'aws:SourceArn': 'arn:aws:s3:::fx-uploads' } },
            },
          ],
        },
      },
    },
    Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'fx-photos' } },
    QueuePolicy: {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        Queues: [{ Ref: 'Queue' }],
        PolicyDocument: {
          Statement: [
            {
              Sid: 'TopicSends',
              Effect: 'Allow',
              Principal: { Service: 'sns.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: getAtt('Queue'),
              Condition: { ArnEquals: { 'aws:SourceArn': { Ref: 'Topic' } } },
            },
          ],
        },
      },
    },
    FailureQueue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'fx-failures' } },
    ConsumerRole: role('fx-consumer-role', [
      {
        Sid: 'Poll',
        Effect: 'Allow',
        Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        Resource: getAtt('Queue'),
      },
      { Sid: 'OnFailure', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: getAtt('FailureQueue') },
    ]),
    Consumer: fn('fx-consumer', 'ConsumerRole'),
    TaskRole: role('fx-task-role', []),
    Task: fn('fx-task', 'TaskRole'),
    MachineRole: role('fx-machine-role', [
      { Sid: 'InvokeTasks', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: [getAtt('Task')] },
    ]),
    Machine: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: { StateMachineName: 'fx-machine', RoleArn: getAtt('MachineRole') },
    },
    StatusRule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        Name: 'fx-status',
        EventPattern: { source: ['aws.states'], 'detail-type': ['Step Functions Execution Status Change'] },
        Targets: [{ Id: 'recorder', Arn: getAtt('Task') }],
      },
    },
    StatusRulePermission: {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        FunctionName: getAtt('Task'),
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        SourceArn: getAtt('StatusRule'),
      },
    },
    MachineLog: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/aws/vendedlogs/states/fx' } },
    OtherLog: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/aws/vendedlogs/states/other' } },
    MachineLogPermission: {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        FunctionName: getAtt('Task'),
        Action: 'lambda:InvokeFunction',
        Principal: 'logs.amazonaws.com',
        SourceArn: getAtt('MachineLog'),
        SourceAccount: { Ref: 'AWS::AccountId' },
      },
    },
    MachineLogSubscription: {
      Type: 'AWS::Logs::SubscriptionFilter',
      DependsOn: 'MachineLogPermission',
      Properties: {
        LogGroupName: { Ref: 'MachineLog' },
        FilterPattern: '{ $.type = "ExecutionTimedOut" }',
        DestinationArn: getAtt('Task'),
      },
    },
  },
})

const deliveries: Record<string, Delivery> = {
  's3-to-topic': {
    kind: 's3-to-topic',
    bucket: 'fx-uploads',
    topicArn: `arn:aws:sns:${region}:${account}:fx-uploaded`,
  },
  'topic-to-queue': {
    kind: 'topic-to-queue',
    topicArn: `arn:aws:sns:${region}:${account}:fx-uploaded`,
    queueArn: `arn:aws:sqs:${region}:${account}:fx-photos`,
  },
  'queue-to-function': {
    kind: 'queue-to-function',
    functionName: 'fx-consumer',
    queueArn: `arn:aws:sqs:${region}:${account}:fx-photos`,
  },
  'stream-failure-to-destination': {
    kind: 'stream-failure-to-destination',
    functionName: 'fx-consumer',
    destinationArn: `arn:aws:sqs:${region}:${account}:fx-failures`,
  },
  'state-machine-task': {
    kind: 'state-machine-task',
    stateMachineArn: `arn:aws:states:${region}:${account}:stateMachine:fx-machine`,
    functionArn: `arn:aws:lambda:${region}:${account}:function:fx-task`,
  },
  'rule-to-function': {
    kind: 'rule-to-function',
    functionArn: `arn:aws:lambda:${region}:${account}:function:fx-task`,
    source: 'aws.states',
    detailType: 'Step Functions Execution Status Change',
  },
  'log-subscription-to-function': {
    kind: 'log-subscription-to-function',
    functionArn: `arn:aws:lambda:${region}:${account}:function:fx-task`,
    logGroupArn: `arn:aws:logs:${region}:${account}:log-group:/aws/vendedlogs/states/fx:*`,
  },
}

let gateway: RunningAwsGateway | undefined
afterEach(async () => {
  await gateway?.stop()
  gateway = undefined
})

/** The template's principals and policies in the gateway, as local-iam puts them there; then one delivery. */
const deliver = async (resources: Record<string, CfnResource>, delivery: Delivery) => {
  const context = withTemplateOnlyIdentifiers(resources, {
    region,
    accountId: account,
    stackName: 'fx-local',
  })
  const resolve = documentResolver(context)
  const minter = credentialsMinter()
  const functions = functionIdentities('fx', resources, context).map((identity) => ({
    identity,
    credentials: minter.mint(identity.functionName),
  }))
  const log: string[] = []
  gateway = await startAwsGateway({
    port: 0,
    mode: 'enforce',
    upstreams: {},
    region,
    accountId: account,
    log: (line) => log.push(line),
  })
  gateway.setPrincipals(functions, resourcePolicies(resources, context))
  const calls = deliveryCalls(delivery, deliveryIndexOf(resources, resolve), account)
  if (!calls.ok) return { proceed: false, denial: calls.reason, log, report: undefined }
  const { caller } = calls
  let principal: Caller | undefined
  if ('service' in caller) principal = caller
  else if ('functionName' in caller)
    principal = functions.find((f) => f.identity.functionName === caller.functionName)
  else {
    const roleId = Object.keys(resources).find(
      (id) =>
        resources[id]?.Type === 'AWS::IAM::Role' &&
        roleArnOf(resources, id, resolve, account) === caller.roleArn,
    )!
    const { roleName, policies, unevaluatedManagedPolicies } = rolePolicies(resources, roleId, resolve)
    principal = {
      identity: {
        service: 'fx',
        functionName: roleName,
        roleArn: caller.roleArn,
        sessionArn: `arn:aws:sts::${account}:assumed-role/${roleName}/${caller.sessionName}`,
        policies,
        unevaluatedManagedPolicies,
      },
      credentials: minter.mint(roleName),
    }
    gateway.addPrincipal(principal)
  }
  const verdict = await gateway.authorize(principal!, calls.requests, calls.what)
  return { ...verdict, log, report: gateway.report() }
}

/** The template without one statement of a policy document (by Sid) or without one resource. */
const without = (what: string): Record<string, CfnResource> => {
  const resources = template().Resources
  if (resources[what]) {
    delete resources[what]
    return resources
  }
  for (const resource of Object.values(resources)) {
    const props = resource.Properties ?? {}
    const documents = [
      props.PolicyDocument,
      props.KeyPolicy,
      ...((props.Policies as { PolicyDocument: unknown }[] | undefined) ?? []).map((p) => p.PolicyDocument),
    ] as ({ Statement: { Sid?: string }[] } | undefined)[]
    for (const document of documents)
      if (document) document.Statement = document.Statement.filter((statement) => statement.Sid !== what)
  }
  return resources
}

describe('deliveries AWS services make for the template', () => {
  it.each(Object.keys(deliveries))('%s goes ahead as the template allows it', async (kind) => {
    const verdict = await deliver(template().Resources, deliveries[kind]!)
    expect(verdict).toMatchObject({ proceed: true })
    expect(verdict.denial).toBeUndefined()
  })

  it.each([
    ['s3-to-topic', 'UploadsPublish', 'sns:Publish'],
    ['s3-to-topic', 'S3PublishesEncrypted', 'kms:GenerateDataKey'],
    ['topic-to-queue', 'TopicSends', 'sqs:SendMessage'],
    ['queue-to-function', 'Poll', 'sqs:ReceiveMessage'],
    ['stream-failure-to-destination', 'OnFailure', 'sqs:SendMessage'],
    ['state-machine-task', 'InvokeTasks', 'lambda:InvokeFunction'],
    ['rule-to-function', 'StatusRulePermission', 'lambda:InvokeFunction'],
    ['log-subscription-to-function', 'MachineLogPermission', 'lambda:InvokeFunction'],
  ])('%s is refused without %s (%s), logged and counted as missing', async (kind, missing, action) => {
    const verdict = await deliver(without(missing), deliveries[kind]!)
    expect(verdict.proceed).toBe(false)
    expect(verdict.denial).toContain(`is not authorized to perform: ${action}`)
    expect(verdict.log.join('\n')).toContain('refused')
    expect(verdict.report?.totals.missing).toBe(1)
  })

  it('refuses an EventBridge delivery no rule of the template makes, and a task of a machine without a role', async () => {
    expect(await deliver(without('StatusRule'), deliveries['rule-to-function']!)).toMatchObject({
      proceed: false,
      denial: 'no EventBridge rule of the templates targets the function',
    })
    expect(await deliver(without('Machine'), deliveries['state-machine-task']!)).toMatchObject({
      proceed: false,
      denial: 'the state machine has no role in the templates',
    })
  })

  it('counts only a rule that targets the function and matches the event', async () => {
    const elsewhere = template().Resources
    ;(elsewhere.StatusRule!.Properties!.Targets as { Arn: unknown }[])[0]!.Arn = getAtt('Consumer')
    expect(await deliver(elsewhere, deliveries['rule-to-function']!)).toMatchObject({ proceed: false })
    const otherEvent = { ...deliveries['rule-to-function']!, source: 'aws.s3' } as Delivery
    expect(await deliver(template().Resources, otherEvent)).toMatchObject({ proceed: false })
  })

  it('refuses a log delivery no subscription filter makes, and one the permission names another log group for', async () => {
    expect(
      await deliver(without('MachineLogSubscription'), deliveries['log-subscription-to-function']!),
    ).toMatchObject({
      proceed: false,
      denial: 'no subscription filter of the templates sends the log group there',
    })
    const otherGroup = template().Resources
    otherGroup.MachineLogPermission!.Properties!.SourceArn = getAtt('OtherLog')
    const verdict = await deliver(otherGroup, deliveries['log-subscription-to-function']!)
    expect(verdict.proceed).toBe(false)
    expect(verdict.denial).toContain('lambda:InvokeFunction')
  })

  it('refuses S3 publishing from another bucket: the topic policy names its source', async () => {
    const verdict = await deliver(template().Resources, {
      ...deliveries['s3-to-topic']!,
      bucket: 'fx-other',
    } as Delivery)
    expect(verdict.proceed).toBe(false)
    expect(verdict.denial).toContain('sns:Publish')
  })
})

/**
 * What `pnpm new function` adds to a service's serverless.yml, per kind, as data: the function entry
 * (its own role), and the resources, names and outputs it needs. generators.ts splices them into the
 * file (yaml-edit.ts); nothing here touches the disk.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these are Serverless Framework variables, resolved by osls
import * as z from 'zod'
import { valueAt } from './yaml-edit'

export const KINDS = ['http', 'sqs', 'stream', 'step'] as const
export type Kind = (typeof KINDS)[number]

/**
 * Where generated Step Functions tasks import `defineStep` from (a package, or a path relative to
 * `services/<name>/src/functions/<key>/`). It was workflows' `src/step.ts` (`'../../step'`) until
 * `@app/runtime/step` landed; one constant, so a move of the kit changes one line.
 */
export const STEP_KIT_MODULE = '@app/runtime/step'

export const serviceNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'a service name is kebab-case (e.g. order-history)')
  .max(40)

/** serverless.yml function keys are camelCase, the folder under src/functions/ and the logs' name. */
export const functionKeySchema = z
  .string()
  .regex(/^[a-z][a-zA-Z0-9]*$/, 'a function key is camelCase (e.g. createOrder), as in serverless.yml')
  .max(48)

export const httpMethodSchema = z.enum(['get', 'post', 'put', 'patch', 'delete'])

/** `createOrder` -> `CreateOrder`; `OrdersTable` stays. */
export const pascalCase = (name: string) => name.charAt(0).toUpperCase() + name.slice(1)
/** `OrdersTable` -> `ordersTable`. */
export const camelCase = (name: string) => name.charAt(0).toLowerCase() + name.slice(1)
/** `createOrder` -> `create-order`. */
export const kebabCase = (name: string) => name.replace(/(?<=[a-z0-9])([A-Z])/g, '-$1').toLowerCase()

const XRAY = {
  Effect: 'Allow',
  Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
  Resource: '*',
}

/** What the generated stream consumers read: both images (an update can be told from an insert). */
export const STREAM_SPECIFICATION = { StreamViewType: 'NEW_AND_OLD_IMAGES' }

const arnOf = (logicalId: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [logicalId, attribute] })

/** Nobody uses the queue without TLS (the repo's queues all carry this statement). */
const tlsOnlyQueuePolicy = (queues: readonly string[]) => ({
  Type: 'AWS::SQS::QueuePolicy',
  Properties: {
    Queues: queues.map((queue) => ({ Ref: queue })),
    PolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 'sqs:*',
          Resource: queues.map((queue) => arnOf(queue)),
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    },
  },
})

/** The facts about a service's serverless.yml the generated entry depends on. */
export interface ServiceFacts {
  readonly service: string
  /** `custom.authorizer` exists: HTTP events go behind it. */
  readonly authorizer: boolean
  /** serverless-iam-roles-per-function `defaultInherit`: the provider's statements (X-Ray) are inherited. */
  readonly inheritsProviderRole: boolean
  readonly hasOfflinePlugin: boolean
  /** Some function has an `http` event already: the service's API (and its stage settings) exist. */
  readonly hasApi: boolean
  /** `resources` is a list of `${file(...)}` includes: resources the generator cannot see or extend. */
  readonly resourcesInFiles: boolean
  readonly tables: readonly string[]
  readonly resources: readonly string[]
  readonly functions: readonly string[]
  /** The function timeout every function gets (custom.shape.provider.timeout), when a number. */
  readonly timeoutSeconds: number
  readonly hasDeletionProtectionParam: boolean
}

export const factsOf = (service: string, yml: string): ServiceFacts => {
  const included = Array.isArray(valueAt(yml, ['resources']))
  const resources = (included ? {} : (valueAt(yml, ['resources', 'Resources']) ?? {})) as Record<
    string,
    { Type?: string }
  >
  const functions = (valueAt(yml, ['functions']) ?? {}) as Record<string, { events?: object[] } | null>
  const timeout = valueAt(yml, ['custom', 'shape', 'provider', 'timeout'])
  const plugins = valueAt(yml, ['custom', 'shape', 'plugins'])
  return {
    service,
    authorizer: valueAt(yml, ['custom', 'authorizer']) !== undefined,
    inheritsProviderRole:
      valueAt(yml, ['custom', 'serverless-iam-roles-per-function', 'defaultInherit']) === true,
    hasOfflinePlugin: Array.isArray(plugins) && plugins.includes('serverless-offline'),
    hasApi: Object.values(functions).some((fn) => fn?.events?.some((event) => 'http' in event)),
    resourcesInFiles: included,
    tables: Object.entries(resources)
      .filter(([, resource]) => resource?.Type === 'AWS::DynamoDB::Table')
      .map(([id]) => id),
    resources: Object.keys(resources),
    functions: Object.keys(functions),
    timeoutSeconds: typeof timeout === 'number' ? timeout : 30,
    hasDeletionProtectionParam: valueAt(yml, ['params', 'default', 'deletionProtection']) !== undefined,
  }
}

export interface FunctionRequest {
  readonly key: string
  readonly kind: Kind
  /** http: the REST path (no leading slash) and method. */
  readonly path?: string
  readonly method?: z.infer<typeof httpMethodSchema>
  /** stream: the table's logical id (created, with a stream, when the service has no such table). */
  readonly table?: string
}

/** What is spliced into serverless.yml for one function. */
export interface FunctionPlan {
  readonly entry: Record<string, unknown>
  readonly resources: Record<string, unknown>
  readonly names: Record<string, string>
  readonly outputs: Record<string, unknown>
  /** An existing table that needs a stream first: `StreamSpecification` added to its properties. */
  readonly enableStreamOn?: string
  readonly addOfflinePlugin: boolean
  /** The service's first API: `custom.ops.apiThrottle` for its stage (apigateway-stage-throttling). */
  readonly addApiThrottle: boolean
  /** Template data for the function's files. */
  readonly data: Record<string, unknown>
}

export const planFunction = (facts: ServiceFacts, request: FunctionRequest): FunctionPlan => {
  const { key, kind } = request
  if (facts.functions.includes(key)) throw new Error(`${facts.service} already has a function ${key}`)
  if (facts.resourcesInFiles && (kind === 'sqs' || kind === 'stream')) {
    throw new Error(
      `${facts.service} declares its resources in included files (resources: - \${file(...)}), which the generator ` +
        `does not edit: a ${kind} function needs resources of its own there; generate it in a service with inline resources`,
    )
  }
  const Pascal = pascalCase(key)
  const role = (statements: unknown[]) => [...statements, ...(facts.inheritsProviderRole ? [] : [XRAY])]
  const base = { handler: `src/functions/${key}/handler.handler` }
  const data = { key, kind, Pascal, service: facts.service, stepKit: STEP_KIT_MODULE }
  const plan = { resources: {}, names: {}, outputs: {}, addOfflinePlugin: false, addApiThrottle: false }

  switch (kind) {
    case 'http': {
      const path = request.path ?? kebabCase(key)
      const method = request.method ?? 'post'
      const http = {
        path,
        method,
        ...(facts.authorizer ? { authorizer: '${self:custom.authorizer}' } : {}),
      }
      return {
        ...plan,
        addOfflinePlugin: !facts.hasOfflinePlugin,
        addApiThrottle: !facts.hasApi,
        entry: {
          ...base,
          description: `${method.toUpperCase()} /${path}`,
          iamRoleStatements: role([]),
          events: [{ http }],
        },
        // GET and DELETE take their input from the query string, the others from a JSON body.
        data: {
          ...data,
          path,
          method,
          METHOD: method.toUpperCase(),
          auth: facts.authorizer,
          hasBody: !['get', 'delete'].includes(method),
        },
      }
    }
    case 'sqs': {
      const queue = `${Pascal}Queue`
      const deadLetter = `${Pascal}DeadLetterQueue`
      const queueName = `${camelCase(key)}Queue`
      const deadLetterName = `${camelCase(key)}DeadLetterQueue`
      const maxReceiveCount = 5
      return {
        ...plan,
        names: {
          [queueName]: `\${self:service}-\${sls:stage}-${kebabCase(key)}`,
          [deadLetterName]: `\${self:service}-\${sls:stage}-${kebabCase(key)}-dlq`,
        },
        resources: {
          [queue]: {
            Type: 'AWS::SQS::Queue',
            Properties: {
              QueueName: `\${self:custom.names.${queueName}}`,
              // AWS's guidance for Lambda event sources: visibility >= 6 x the function timeout.
              VisibilityTimeout: 6 * facts.timeoutSeconds,
              SqsManagedSseEnabled: true,
              RedrivePolicy: { deadLetterTargetArn: arnOf(deadLetter), maxReceiveCount },
            },
          },
          [deadLetter]: {
            Type: 'AWS::SQS::Queue',
            Properties: {
              QueueName: `\${self:custom.names.${deadLetterName}}`,
              MessageRetentionPeriod: 1_209_600,
              SqsManagedSseEnabled: true,
              RedriveAllowPolicy: {
                redrivePermission: 'byQueue',
                sourceQueueArns: [
                  {
                    'Fn::Sub': `arn:\${AWS::Partition}:sqs:\${AWS::Region}:\${AWS::AccountId}:\${self:custom.names.${queueName}}`,
                  },
                ],
              },
            },
          },
          [`${queue}Policy`]: tlsOnlyQueuePolicy([queue, deadLetter]),
        },
        outputs: {
          [`${queue}Arn`]: { Value: arnOf(queue) },
          [`${queue}Url`]: { Value: { Ref: queue } },
        },
        entry: {
          ...base,
          description: `${queue} consumer (partial batch failures; dead letters after ${maxReceiveCount} receives)`,
          // sqs:ReceiveMessage/DeleteMessage/GetQueueAttributes on this queue only: added to this role
          // by serverless-iam-roles-per-function from the sqs event.
          iamRoleStatements: role([]),
          events: [
            { sqs: { arn: arnOf(queue), batchSize: 10, functionResponseType: 'ReportBatchItemFailures' } },
          ],
        },
        data: { ...data, queue },
      }
    }
    case 'stream': {
      const table = request.table ?? (facts.tables.length === 1 ? facts.tables[0] : undefined)
      if (!table) {
        throw new Error(
          `${facts.service} has ${facts.tables.length} tables (${facts.tables.join(', ') || 'none'}): say which with --table <LogicalId>`,
        )
      }
      if (facts.resources.includes(table) && !facts.tables.includes(table))
        throw new Error(`${table} is not a DynamoDB table of ${facts.service}`)
      const creates = !facts.tables.includes(table)
      const failures = `${Pascal}FailureQueue`
      const failuresName = `${camelCase(key)}FailureQueue`
      const tableName = camelCase(table)
      return {
        ...plan,
        ...(creates ? {} : { enableStreamOn: table }),
        names: {
          ...(creates
            ? { [tableName]: `\${self:service}-\${sls:stage}-${kebabCase(table.replace(/Table$/, ''))}` }
            : {}),
          [failuresName]: `\${self:service}-\${sls:stage}-${kebabCase(key)}-failures`,
        },
        resources: {
          ...(creates
            ? {
                [table]: {
                  Type: 'AWS::DynamoDB::Table',
                  Properties: {
                    TableName: `\${self:custom.names.${tableName}}`,
                    BillingMode: 'PAY_PER_REQUEST',
                    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
                    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
                    StreamSpecification: STREAM_SPECIFICATION,
                    SSESpecification: { SSEEnabled: true },
                    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
                    DeletionProtectionEnabled: facts.hasDeletionProtectionParam
                      ? '${param:deletionProtection}'
                      : false,
                  },
                },
              }
            : {}),
          [failures]: {
            Type: 'AWS::SQS::Queue',
            Properties: {
              QueueName: `\${self:custom.names.${failuresName}}`,
              SqsManagedSseEnabled: true,
              MessageRetentionPeriod: 1_209_600,
            },
          },
          [`${failures}Policy`]: tlsOnlyQueuePolicy([failures]),
          [`${failures}Alarm`]: {
            Type: 'AWS::CloudWatch::Alarm',
            Properties: {
              AlarmDescription: `${key} gave up on stream records of ${table}; their shard ranges are in ${failures}.`,
              Namespace: 'AWS/SQS',
              MetricName: 'ApproximateNumberOfMessagesVisible',
              Dimensions: [{ Name: 'QueueName', Value: arnOf(failures, 'QueueName') }],
              Statistic: 'Maximum',
              Period: 60,
              EvaluationPeriods: 1,
              Threshold: 0,
              ComparisonOperator: 'GreaterThanThreshold',
              TreatMissingData: 'notBreaching',
              AlarmActions: [{ Ref: 'OpsAlarmTopic' }],
              OKActions: [{ Ref: 'OpsAlarmTopic' }],
            },
          },
        },
        outputs: {
          [`${table}StreamArn`]: { Value: arnOf(table, 'StreamArn') },
          [`${failures}Url`]: { Value: { Ref: failures } },
        },
        entry: {
          ...base,
          description: `${table} stream consumer (partial batch failures, bisect, on-failure queue)`,
          // Stream reads (DescribeStream, GetRecords, GetShardIterator, ListStreams) on this table's
          // stream only are added by serverless-iam-roles-per-function from the stream event.
          iamRoleStatements: role([
            { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: arnOf(failures) },
          ]),
          events: [
            {
              stream: {
                type: 'dynamodb',
                arn: arnOf(table, 'StreamArn'),
                startingPosition: 'LATEST',
                batchSize: 10,
                functionResponseType: 'ReportBatchItemFailures',
                bisectBatchOnFunctionError: true,
                maximumRetryAttempts: 10,
                maximumRecordAgeInSeconds: 21_600,
                destinations: { onFailure: { arn: arnOf(failures), type: 'sqs' } },
              },
            },
          ],
        },
        data: { ...data, table },
      }
    }
    case 'step':
      return {
        ...plan,
        entry: {
          ...base,
          description: `Step Functions task ${key}`,
          iamRoleStatements: role([]),
        },
        data,
      }
  }
}

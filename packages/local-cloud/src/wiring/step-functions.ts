/**
 * The local Step Functions host, generic over services. It runs the state machines of a service's
 * *packaged* CloudFormation template (what serverless-step-functions deploys; never a second copy)
 * with aws-local-stepfunctions, and each Lambda task with the real handler of its function, in
 * a sandbox of its own with the function's environment (../lambda/runtime.ts). It speaks enough of the Step Functions JSON protocol (StartExecution,
 * DescribeExecution, ListExecutions) over HTTP that the service's ordinary `@aws-sdk/client-sfn` adapter reaches
 * it through `AWS_ENDPOINT_URL_SFN`: serverless-offline runs HTTP handlers in its own workers, so
 * an HTTP endpoint is the one way they can share executions with the `pnpm dev` process.
 *
 * Differences from AWS, handled here so the same ASL runs in both:
 * - aws-local-stepfunctions hands a local task the resolved `Parameters` and does not wrap its
 *   result: for `arn:aws:states:::lambda:invoke` we unwrap `Payload` for the handler and wrap the
 *   result as `{Payload, StatusCode, ExecutedVersion}`, as the Lambda integration does;
 * - a handler's error reaches Catch as AWS shapes it: `Error` = its name, `Cause` =
 *   `{"errorType","errorMessage"}` JSON;
 * - Retry waits are shortened (`retryDelayMs`): the back-off is AWS's to time, the retry count ours to test.
 */
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import {
  type CfnResource,
  type CfnTemplate,
  functionLogicalId,
  getAttTarget,
  referencedId,
  resolveIntrinsics,
  stateMachineLogicalId,
  UnresolvableError,
} from '@app/cloudformation'
import { StateMachine as LocalStateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions'
import type { ServiceVerdict } from '../iam/aws-gateway'
import type { Delivery } from '../iam/deliveries'
import { lambdaRuntimeVariables } from '../lambda/environment'
import { type LocalFunction, startLocalFunction } from '../lambda/runtime'

// ---------------------------------------------------------------------------------------------
// Reading the packaged template
// ---------------------------------------------------------------------------------------------

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke'
export const LOCAL_ACCOUNT = '000000000000'

/** A Lambda function of the template, as the host needs it. */
export interface TemplateFunction {
  readonly logicalId: string
  readonly functionName: string
  /** `src/functions/x/handler.handler` (serverless-esbuild keeps the source path). */
  readonly handler: string
  readonly environment: Record<string, string>
  /** As deployed (MemorySize / memorySize), when the source says; for the Lambda context and variables. */
  readonly memorySize?: number
  readonly timeoutSeconds?: number
}

/** A state machine of the template with its definition exactly as deployed, Lambda ARNs made local. */
export interface TemplateStateMachine {
  readonly logicalId: string
  readonly name: string
  readonly type: 'STANDARD' | 'EXPRESS'
  readonly arn: string
  readonly definition: StateMachineDefinition
  /** Task state name → logical id of the Lambda function it invokes (names are unique per machine). */
  readonly tasks: Readonly<Record<string, string>>
  /** Logical id of the log group its logging configuration writes to, when the template declares one. */
  readonly logGroup?: string
}

const functionArn = (region: string, name: string) =>
  `arn:aws:lambda:${region}:${LOCAL_ACCOUNT}:function:${name}`

type Resolve = (logicalId: string, attribute?: string) => string | undefined

/** The local values of the template's intrinsics: `undefined` when one cannot be rendered locally. */
const render = (value: unknown, region: string, resolve: Resolve): string | undefined => {
  try {
    const rendered = resolveIntrinsics(value, {
      region,
      accountId: LOCAL_ACCOUNT,
      ref: (id) => resolve(id),
      getAtt: (id, attribute) => resolve(id, attribute),
    })
    return typeof rendered === 'string' || typeof rendered === 'number' || typeof rendered === 'boolean'
      ? String(rendered)
      : undefined
  } catch (error) {
    if (error instanceof UnresolvableError) return undefined
    throw error
  }
}

/** Reads the template's Lambda functions (name, handler, environment with local values). */
export const readFunctions = (template: CfnTemplate, region: string): Map<string, TemplateFunction> => {
  const functions = new Map<string, TemplateFunction>()
  const entries = Object.entries(template.Resources).filter(
    ([, resource]) => resource.Type === 'AWS::Lambda::Function',
  )
  const names = new Map(
    entries.map(([id, resource]) => [id, String(resource.Properties?.FunctionName ?? id)]),
  )
  const resolve = (logicalId: string, attribute?: string) => {
    const name = names.get(logicalId)
    if (name) return attribute === 'Arn' ? functionArn(region, name) : name
    const resource = template.Resources[logicalId]
    // Tables, buckets and state machines have their physical name in the template.
    const properties = resource?.Properties ?? {}
    const physical =
      properties.TableName ?? properties.BucketName ?? properties.StateMachineName ?? properties.QueueName
    return typeof physical === 'string' ? physical : undefined
  }
  for (const [logicalId, resource] of entries) {
    const properties = resource.Properties ?? {}
    const variables = ((properties.Environment as { Variables?: Record<string, unknown> })?.Variables ??
      {}) as Record<string, unknown>
    const environment: Record<string, string> = {}
    for (const [key, value] of Object.entries(variables)) {
      const rendered = render(value, region, resolve)
      if (rendered !== undefined) environment[key] = rendered
    }
    functions.set(logicalId, {
      logicalId,
      functionName: names.get(logicalId)!,
      handler: String(properties.Handler),
      environment,
      ...sizing(properties.MemorySize, properties.Timeout),
    })
  }
  return functions
}

/** Memory and timeout when given (a number or a numeric string), for `TemplateFunction`. */
const sizing = (memorySize: unknown, timeout: unknown) => {
  const value = (raw: unknown) => (raw === undefined || raw === '' ? Number.NaN : Number(raw))
  return {
    ...(Number.isFinite(value(memorySize)) ? { memorySize: value(memorySize) } : {}),
    ...(Number.isFinite(value(timeout)) ? { timeoutSeconds: value(timeout) } : {}),
  }
}

type States = Record<string, Record<string, unknown>>

/** Every state, including those nested in Parallel branches and Map processors. */
const walkStates = (states: States, visit: (name: string, state: Record<string, unknown>) => void): void => {
  for (const [name, state] of Object.entries(states)) {
    visit(name, state)
    for (const branch of (state.Branches as { States: States }[] | undefined) ?? [])
      walkStates(branch.States, visit)
    const processor = (state.ItemProcessor ?? state.Iterator) as { States: States } | undefined
    if (processor) walkStates(processor.States, visit)
  }
}

/** Lambda function names/handlers and state machines of one service, from either source. */
export interface ServiceModel {
  readonly functions: ReadonlyMap<string, TemplateFunction>
  readonly machines: readonly TemplateStateMachine[]
}

/**
 * `QueryLanguage: JSONPath` is the default that serverless-step-functions writes into every state
 * of the template; it means the same as its absence, so it is dropped from both sources.
 */
const withoutDefaults = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutDefaults)
  if (!value || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    if (key === 'QueryLanguage' && item === 'JSONPath') continue
    out[key] = withoutDefaults(item)
  }
  return out
}

/**
 * aws-local-stepfunctions evaluates `TimeoutSecondsPath` against the input after `Parameters`;
 * AWS evaluates it against the state's input. For a lambda:invoke task whose payload is the whole
 * state input (`Payload.$: $`) the two differ by `Payload`, so the path is rewritten for local runs
 * only (the model keeps AWS's definition). Other shapes cannot be mapped and are refused up front.
 */
const localDefinition = (definition: StateMachineDefinition): StateMachineDefinition => {
  const copy = structuredClone(definition) as unknown as { States: States }
  walkStates(copy.States, (stateName, state) => {
    const path = state.TimeoutSecondsPath
    if (typeof path !== 'string') return
    const parameters = state.Parameters as Record<string, unknown> | undefined
    if (!parameters) return
    if (parameters['Payload.$'] !== '$')
      throw new Error(
        `${stateName}: TimeoutSecondsPath with Parameters runs locally only when Payload.$ is $`,
      )
    state.TimeoutSecondsPath = path.replace(/^\$/, '$.Payload')
  })
  return copy as unknown as StateMachineDefinition
}

const machineFrom = (
  logicalId: string,
  name: string,
  type: unknown,
  definition: StateMachineDefinition,
  functions: ReadonlyMap<string, TemplateFunction>,
  region: string,
  logGroupArn: unknown,
): TemplateStateMachine => {
  const byArn = new Map(
    [...functions.values()].map((fn) => [functionArn(region, fn.functionName), fn.logicalId]),
  )
  const normalised = withoutDefaults(definition) as StateMachineDefinition & { States: States }
  const tasks: Record<string, string> = {}
  walkStates(normalised.States, (stateName, state) => {
    if (state.Type !== 'Task') return
    const resourceArn = String(state.Resource ?? '')
    const target =
      resourceArn === LAMBDA_INVOKE || resourceArn === `${LAMBDA_INVOKE}.waitForTaskToken`
        ? String((state.Parameters as Record<string, unknown> | undefined)?.FunctionName ?? '')
        : resourceArn
    const functionId = byArn.get(target.replace(/:(\$LATEST|\d+)$/, ''))
    if (functionId) tasks[stateName] = functionId
  })
  return {
    logicalId,
    name,
    type: String(type).toUpperCase() === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
    arn: `arn:aws:states:${region}:${LOCAL_ACCOUNT}:stateMachine:${name}`,
    definition: normalised,
    tasks,
    ...(referencedId(logGroupArn) ? { logGroup: referencedId(logGroupArn)! } : {}),
  }
}

/**
 * Reads a packaged template (`sls package`). serverless-step-functions emits each definition as
 * `Fn::Sub: [json, {placeholder: {Fn::GetAtt: [Function, Arn]}}]`; placeholders become local
 * Lambda ARNs, and each Task is mapped to the function it invokes.
 */
export const modelFromTemplate = (template: CfnTemplate, region = 'us-east-1'): ServiceModel => {
  const functions = readFunctions(template, region)
  const machines = Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::StepFunctions::StateMachine')
    .map(([logicalId, resource]) => {
      const properties = resource.Properties ?? {}
      const name = String(properties.StateMachineName ?? logicalId)
      const json = render(
        properties.DefinitionString ?? JSON.stringify(properties.Definition),
        region,
        (id, attribute) => {
          const fn = functions.get(id)
          if (fn) return attribute === 'Arn' ? functionArn(region, fn.functionName) : fn.functionName
          return undefined
        },
      )
      if (json === undefined)
        throw new Error(`State machine ${logicalId}: definition references something not local`)
      const logging = properties.LoggingConfiguration as
        | { Destinations?: { CloudWatchLogsLogGroup?: { LogGroupArn?: unknown } }[] }
        | undefined
      return machineFrom(
        logicalId,
        name,
        properties.StateMachineType,
        JSON.parse(json),
        functions,
        region,
        logging?.Destinations?.[0]?.CloudWatchLogsLogGroup?.LogGroupArn,
      )
    })
  return { functions, machines }
}

/** The `sls print` view of a service, as far as this host reads it. */
export interface PrintedConfig {
  service: string
  provider: { stage: string; environment?: Record<string, unknown>; memorySize?: unknown; timeout?: unknown }
  functions?: Record<
    string,
    {
      handler?: string
      name?: string
      environment?: Record<string, unknown>
      memorySize?: unknown
      timeout?: unknown
    }
  >
  stepFunctions?: {
    stateMachines?: Record<
      string,
      {
        id?: string
        name?: string
        type?: string
        definition: unknown
        loggingConfig?: { destinations?: unknown[] }
      }
    >
  }
}

/**
 * Reads the resolved serverless.yml (`sls print`, what `pnpm dev` has at hand without bundling):
 * the definitions exactly as written for serverless-step-functions, with `Fn::GetAtt: [fn, Arn]`
 * (function key or logical id) turned into the same local ARNs as `modelFromTemplate`.
 */
export const modelFromPrinted = (printed: PrintedConfig, region = 'us-east-1'): ServiceModel => {
  const functions = new Map<string, TemplateFunction>()
  const byKey = new Map<string, TemplateFunction>()
  const resolveNothing = () => undefined
  for (const [key, fn] of Object.entries(printed.functions ?? {})) {
    const environment: Record<string, string> = {}
    for (const [name, value] of Object.entries({ ...printed.provider.environment, ...fn.environment })) {
      const rendered = render(value, region, resolveNothing)
      if (rendered !== undefined) environment[name] = rendered
    }
    const model: TemplateFunction = {
      logicalId: functionLogicalId(key),
      functionName: fn.name ?? `${printed.service}-${printed.provider.stage}-${key}`,
      handler: String(fn.handler),
      environment,
      ...sizing(fn.memorySize ?? printed.provider.memorySize, fn.timeout ?? printed.provider.timeout),
    }
    functions.set(model.logicalId, model)
    byKey.set(key, model)
  }
  const resolve = (id: string, attribute?: string) => {
    const fn = byKey.get(id) ?? functions.get(id)
    if (!fn) return undefined
    return attribute === 'Arn' ? functionArn(region, fn.functionName) : fn.functionName
  }
  const resolveDefinition = (value: unknown): unknown => {
    try {
      return resolveIntrinsics(value, {
        region,
        accountId: LOCAL_ACCOUNT,
        ref: (id) => resolve(id),
        getAtt: (id, attribute) => resolve(id, attribute),
      })
    } catch (error) {
      if (error instanceof UnresolvableError)
        throw new Error(`Cannot resolve the definition locally: ${error.message}`, { cause: error })
      throw error
    }
  }
  const machines = Object.entries(printed.stepFunctions?.stateMachines ?? {}).map(([key, machine]) => {
    const logicalId = stateMachineLogicalId(key, machine)
    const name = machine.name ?? `${key}-${printed.provider.stage}`
    const definition = resolveDefinition(machine.definition) as StateMachineDefinition
    return machineFrom(
      logicalId,
      name,
      machine.type,
      definition,
      functions,
      region,
      machine.loggingConfig?.destinations?.[0],
    )
  })
  return { functions, machines }
}

/** A CloudWatch Logs subscription filter with a Lambda destination, as the host delivers it. */
export interface LogSubscription {
  readonly logicalId: string
  /** Logical id and name of the log group it reads. */
  readonly logGroup: string
  readonly logGroupName: string
  /** Logical id of the destination function. */
  readonly functionId: string
  /** The history event types its filter pattern passes. */
  readonly types: readonly string[]
}

/**
 * The filter pattern's event types. Locally only a disjunction of `$.type = "<Type>"` terms is
 * understood (what a filter on an execution's end needs); anything else is refused at start-up
 * rather than matched wrongly.
 */
const filteredTypes = (logicalId: string, pattern: unknown): string[] => {
  const body = String(pattern ?? '')
    .trim()
    .replace(/^\{(.*)\}$/s, '$1')
  const types = body.split('||').map((term) => /^\s*\$\.type\s*=\s*"([A-Za-z]+)"\s*$/.exec(term)?.[1])
  if (!types.length || types.some((type) => type === undefined))
    throw new Error(
      `${logicalId}: filter pattern ${JSON.stringify(pattern)} is not understood locally (only $.type = "..." || ...)`,
    )
  return types as string[]
}

/**
 * The subscription filters of a template's (or a resolved serverless.yml's) resources that send a
 * log group of the same resources to one of its Lambda functions.
 */
export const logSubscriptionsOf = (resources: Readonly<Record<string, CfnResource>>): LogSubscription[] =>
  Object.entries(resources).flatMap(([logicalId, resource]) => {
    if (resource.Type !== 'AWS::Logs::SubscriptionFilter') return []
    const props = resource.Properties ?? {}
    const logGroup = referencedId(props.LogGroupName)
    const logGroupName = resources[logGroup ?? '']?.Properties?.LogGroupName
    const [functionId] = getAttTarget(props.DestinationArn) ?? []
    // Destinations elsewhere (another account's, a Kinesis stream) are not ours to deliver to.
    if (!logGroup || typeof logGroupName !== 'string' || !functionId) return []
    return [
      { logicalId, logGroup, logGroupName, functionId, types: filteredTypes(logicalId, props.FilterPattern) },
    ]
  })

// ---------------------------------------------------------------------------------------------
// Running executions
// ---------------------------------------------------------------------------------------------

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED'

/** One execution as DescribeExecution reports it. */
export interface LocalExecution {
  readonly executionArn: string
  readonly stateMachineArn: string
  readonly name: string
  status: ExecutionStatus
  readonly input: string
  output?: string
  error?: string
  cause?: string
  readonly startDate: Date
  stopDate?: Date
  /** Attempts per task state (1 = no retry), for tests and logs. */
  readonly attempts: Record<string, number>
  /** Settles when the execution ends; never rejects. */
  readonly done: Promise<LocalExecution>
}

/** Test hook: runs instead of/around a task's handler, e.g. to inject a Lambda service fault. */
export type TaskInterceptor = (call: {
  stateName: string
  attempt: number
  payload: unknown
  invoke: () => Promise<unknown>
}) => Promise<unknown>

export interface StepFunctionsHostOptions {
  /** From `modelFromPrinted` (pnpm dev) or `modelFromTemplate` (a packaged template). */
  model: ServiceModel
  /** The service folder: handler paths in the template are relative to it. */
  serviceDir: string
  region?: string
  /**
   * How a task's function runs. `pnpm dev` passes the runner's (`cloud.lambda`: the environment
   * derived from the resolved serverless.yml like every local function's); by default each function
   * gets a sandbox of its own here, with its model environment, Lambda's variables and `env` over them.
   */
  lambda?: (fn: TemplateFunction) => LocalFunction
  /** Without `lambda`: environment every function gets over its own (endpoints, dummy credentials, region). */
  env?: Readonly<Record<string, string>>
  /** Wait between retries, instead of IntervalSeconds × BackoffRate^n with jitter. Default 10 ms. */
  retryDelayMs?: number
  /** 0 (default) picks a free port; `pnpm dev` passes a fixed one. */
  port?: number
  interceptor?: TaskInterceptor
  /**
   * EventBridge's "Step Functions Execution Status Change" events of Standard executions (Express
   * ones send none, as in AWS), delivered to the function with this logical id as the rule's target
   * would: asynchronously, once per terminal status in `statuses` (default: FAILED, TIMED_OUT, ABORTED).
   */
  executionEvents?: { functionId: string; statuses?: readonly ExecutionStatus[] }
  /**
   * CloudWatch Logs subscriptions on the machines' log groups (`logSubscriptionsOf`): how an
   * Express execution's end reaches a function in AWS. When an Express execution of a machine
   * logging to the subscription's group ends with a history event type its filter passes, that
   * event is delivered to the destination as CloudWatch Logs does (asynchronously, `awslogs.data`
   * = base64 of gzipped JSON). Locally the log holds only each execution's last event.
   */
  logSubscriptions?: readonly LogSubscription[]
  /**
   * IAM for what Step Functions and EventBridge do (`cloud.authorize`): the state machine's role
   * invoking each task's function, the status events' rule invoking its target. Without it, both
   * always proceed (a host run on its own, with no templates' roles).
   */
  authorize?: (delivery: Delivery) => Promise<ServiceVerdict>
  log?: (message: string) => void
}

export interface StepFunctionsHost {
  /** Base URL of the Step Functions JSON endpoint (`AWS_ENDPOINT_URL_SFN`). */
  readonly url: string
  readonly machines: readonly TemplateStateMachine[]
  startExecution(request: { stateMachineArn: string; name?: string; input?: string }): LocalExecution
  describeExecution(executionArn: string): LocalExecution | undefined
  /** StopExecution: a running execution ends ABORTED. */
  stopExecution(executionArn: string): void
  stop(): Promise<void>
}

class SfnError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message)
  }
}

/** The error as the Lambda integration reports it: name as Error, `{errorType, errorMessage}` as Cause. */
const asLambdaError = (error: unknown): Error => {
  const original = error instanceof Error ? error : new Error(String(error))
  const wrapped = new Error(JSON.stringify({ errorType: original.name, errorMessage: original.message }), {
    cause: original,
  })
  wrapped.name = original.name
  return wrapped
}

/** Starts the host: loads the template's machines and handlers and listens for the JSON protocol. */
export const startStepFunctionsHost = async (
  options: StepFunctionsHostOptions,
): Promise<StepFunctionsHost> => {
  const region = options.region ?? 'us-east-1'
  const shared = options.env ?? {}
  const { machines, functions } = options.model
  const runnable = new Map(machines.map((machine) => [machine.name, localDefinition(machine.definition)]))
  const used = [...new Set(machines.flatMap((machine) => Object.values(machine.tasks)))]
  // Sandboxes start at a function's first invocation (runtime.ts); only those made here are ours to stop.
  const own: LocalFunction[] = []
  const sandbox = (fn: TemplateFunction): LocalFunction => {
    if (options.lambda) return options.lambda(fn)
    const memorySize = fn.memorySize ?? 1024
    const local = startLocalFunction({
      name: fn.functionName,
      serviceDir: options.serviceDir,
      handler: fn.handler,
      region,
      memorySize,
      ...(fn.timeoutSeconds ? { timeoutSeconds: fn.timeoutSeconds } : {}),
      environment: {
        ...lambdaRuntimeVariables({ name: fn.functionName, handler: fn.handler, memorySize, region }),
        ...fn.environment,
        ...shared,
      },
    })
    own.push(local)
    return local
  }
  const eventsTarget = options.executionEvents?.functionId
  const subscriptions = options.logSubscriptions ?? []
  const targets = [...(eventsTarget ? [eventsTarget] : []), ...subscriptions.map((sub) => sub.functionId)]
  for (const target of targets)
    if (!functions.has(target))
      throw new Error(`Step Functions host: no function ${target} for execution status events or logs`)
  const handlers = new Map([...new Set([...used, ...targets])].map((id) => [id, sandbox(functions.get(id)!)]))
  const eventStatuses = new Set(options.executionEvents?.statuses ?? ['FAILED', 'TIMED_OUT', 'ABORTED'])
  const deliveries = new Set<Promise<unknown>>()
  const aborts = new Map<string, () => void>()
  /**
   * An AWS service invoking `functionId` asynchronously, as IAM allows: a refused delivery goes
   * nowhere (a DLQ in AWS), a failed invocation is logged; `stop()` waits for those in flight.
   */
  const deliver = (what: string, delivery: Delivery, functionId: string, event: unknown) => {
    const pending = authorize(delivery)
      .then((verdict) => {
        if (!verdict.proceed) return log(`${what} dropped: ${verdict.denial}`)
        return handlers.get(functionId)!.invoke(event)
      })
      .then(
        () => undefined,
        (error: unknown) => log(`${what}: ${(error as Error).name}`),
      )
      .finally(() => deliveries.delete(pending))
    deliveries.add(pending)
  }
  /** The event as EventBridge delivers it to a Lambda target (dates in epoch milliseconds, as AWS sends). */
  const emitStatusChange = (machine: TemplateStateMachine, execution: LocalExecution) => {
    if (!eventsTarget || machine.type !== 'STANDARD' || !eventStatuses.has(execution.status)) return
    const event = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      account: LOCAL_ACCOUNT,
      time: (execution.stopDate ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region,
      resources: [execution.executionArn],
      detail: {
        executionArn: execution.executionArn,
        stateMachineArn: execution.stateMachineArn,
        name: execution.name,
        status: execution.status,
        startDate: execution.startDate.getTime(),
        stopDate: execution.stopDate?.getTime() ?? null,
        input: execution.input,
        output: execution.output ?? null,
        error: execution.error ?? null,
        cause: execution.cause ?? null,
      },
    }
    const target = functionArn(region, functions.get(eventsTarget)!.functionName)
    deliver(
      `${machine.name} ${execution.name} status event`,
      {
        kind: 'rule-to-function',
        functionArn: target,
        source: event.source,
        detailType: event['detail-type'],
      },
      eventsTarget,
      event,
    )
  }
  const historyTypes: Record<ExecutionStatus, string> = {
    RUNNING: 'ExecutionStarted',
    SUCCEEDED: 'ExecutionSucceeded',
    FAILED: 'ExecutionFailed',
    TIMED_OUT: 'ExecutionTimedOut',
    ABORTED: 'ExecutionAborted',
  }
  /**
   * An Express execution's last history event, as a subscription on its machine's log group hands
   * it to Lambda: the event as Step Functions logs it (execution data excluded), in CloudWatch Logs'
   * envelope, gzipped and base64-encoded under `awslogs.data`.
   */
  const emitLogEvent = (machine: TemplateStateMachine, execution: LocalExecution) => {
    if (machine.type !== 'EXPRESS' || !machine.logGroup) return
    const type = historyTypes[execution.status]
    const timestamp = (execution.stopDate ?? new Date()).getTime()
    for (const subscription of subscriptions) {
      if (subscription.logGroup !== machine.logGroup || !subscription.types.includes(type)) continue
      const message = {
        id: '1',
        type,
        details: {
          ...(execution.error !== undefined ? { error: execution.error } : {}),
          ...(execution.cause !== undefined ? { cause: execution.cause } : {}),
        },
        previous_event_id: '0',
        event_timestamp: String(timestamp),
        execution_arn: execution.executionArn,
        redrive_count: '0',
      }
      const document = {
        messageType: 'DATA_MESSAGE',
        owner: LOCAL_ACCOUNT,
        logGroup: subscription.logGroupName,
        logStream: `states/${machine.name}/${new Date(timestamp).toISOString().slice(0, 10)}/${randomUUID().slice(0, 8)}`,
        subscriptionFilters: [subscription.logicalId],
        logEvents: [{ id: randomUUID(), timestamp, message: JSON.stringify(message) }],
      }
      const event = { awslogs: { data: gzipSync(JSON.stringify(document)).toString('base64') } }
      deliver(
        `${machine.name} ${execution.name} log event`,
        {
          kind: 'log-subscription-to-function',
          functionArn: functionArn(region, functions.get(subscription.functionId)!.functionName),
          logGroupArn: `arn:aws:logs:${region}:${LOCAL_ACCOUNT}:log-group:${subscription.logGroupName}:*`,
        },
        subscription.functionId,
        event,
      )
    }
  }
  const authorize = options.authorize ?? (async () => ({ proceed: true }))
  const executions = new Map<string, LocalExecution>()
  const byName = new Map(machines.map((machine) => [machine.name, machine]))
  const log = options.log ?? (() => undefined)

  const machineFor = (stateMachineArn: string): TemplateStateMachine => {
    // The start functions build ARNs from names (their account is unknown locally): match by name.
    const machine = byName.get(stateMachineArn.split(':').at(-1) ?? '')
    if (!machine)
      throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`)
    return machine
  }

  const taskHandlers = (machine: TemplateStateMachine, attempts: Record<string, number>) => {
    const overrides: Record<string, (input: unknown) => Promise<unknown>> = {}
    walkStates(machine.definition.States as unknown as States, (stateName, state) => {
      const functionId = machine.tasks[stateName]
      if (!functionId) return
      const handler = handlers.get(functionId)!
      const viaInvoke = state.Resource === LAMBDA_INVOKE
      overrides[stateName] = async (input) => {
        const attempt = (attempts[stateName] ?? 0) + 1
        attempts[stateName] = attempt
        const payload = viaInvoke ? (input as { Payload?: unknown }).Payload : input
        const verdict = await authorize({
          kind: 'state-machine-task',
          stateMachineArn: machine.arn,
          functionArn: functionArn(region, functions.get(functionId)!.functionName),
        })
        if (!verdict.proceed) {
          // What the Lambda integration reports when the role may not invoke: Lambda's 403 as its error.
          const denied = new Error(
            `User: ${verdict.denial} (Service: AWSLambda; Status Code: 403; Error Code: AccessDeniedException)`,
          )
          denied.name = 'Lambda.AWSLambdaException'
          log(`${machine.name} ${stateName} attempt ${attempt}: ${denied.name}`)
          throw denied
        }
        const invoke = () => handler.invoke(payload)
        try {
          const result = options.interceptor
            ? await options.interceptor({ stateName, attempt, payload, invoke })
            : await invoke()
          return viaInvoke ? { ExecutedVersion: '$LATEST', Payload: result ?? null, StatusCode: 200 } : result
        } catch (error) {
          log(`${machine.name} ${stateName} attempt ${attempt}: ${(error as Error).name}`)
          throw asLambdaError(error)
        }
      }
    })
    return overrides
  }

  const retryOverrides = (machine: TemplateStateMachine) => {
    const overrides: Record<string, number> = {}
    walkStates(machine.definition.States as unknown as States, (stateName, state) => {
      if (state.Retry) overrides[stateName] = options.retryDelayMs ?? 10
    })
    return overrides
  }

  const startExecution: StepFunctionsHost['startExecution'] = ({ stateMachineArn, name, input }) => {
    const machine = machineFor(stateMachineArn)
    const executionName = name ?? randomUUID()
    if (!/^[A-Za-z0-9-_]{1,80}$/.test(executionName))
      throw new SfnError('InvalidName', `Invalid Name: '${executionName}'`)
    const inputText = input ?? '{}'
    let parsedInput: unknown
    try {
      parsedInput = JSON.parse(inputText)
    } catch {
      throw new SfnError('InvalidExecutionInput', 'Invalid State Machine Execution Input')
    }
    const standardArn = `arn:aws:states:${region}:${LOCAL_ACCOUNT}:execution:${machine.name}:${executionName}`
    const existing = executions.get(standardArn)
    if (existing) {
      // Standard semantics: the same name and input is idempotent, a different input a conflict.
      if (existing.input === inputText && existing.status === 'RUNNING') return existing
      throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${standardArn}'`)
    }
    const executionArn =
      machine.type === 'EXPRESS'
        ? `arn:aws:states:${region}:${LOCAL_ACCOUNT}:express:${machine.name}:${executionName}:${randomUUID()}`
        : standardArn
    const startDate = new Date()
    const attempts: Record<string, number> = {}
    // Local only: a sandbox's first start compiles TypeScript (seconds on a busy machine), a cost
    // Lambda's cold start does not have. The execution begins once its functions are loaded, so that
    // cost never eats a task's TimeoutSeconds. A failed load is not fatal here: the task's own
    // invocation then fails as a Lambda init error would.
    const functionsLoaded = Promise.allSettled(
      [...new Set(Object.values(machine.tasks))].map((id) => handlers.get(id)!.warm()),
    )
    let stopped = false
    aborts.set(executionArn, () => {
      stopped = true
    })
    const result = functionsLoaded.then(() => {
      const running = new LocalStateMachine(runnable.get(machine.name)!, {
        validationOptions: { checkArn: false },
      }).run(parsedInput as never, {
        overrides: {
          taskResourceLocalHandlers: taskHandlers(machine, attempts) as never,
          retryIntervalOverrides: retryOverrides(machine),
        },
        context: {
          Execution: {
            Id: executionArn,
            Name: executionName,
            Input: parsedInput,
            StartTime: startDate.toISOString(),
          },
          StateMachine: { Id: machine.arn, Name: machine.name },
        } as never,
      })
      aborts.set(executionArn, running.abort)
      if (stopped) running.abort()
      return running.result
    })
    const execution: LocalExecution = {
      executionArn,
      stateMachineArn: machine.arn,
      name: executionName,
      status: 'RUNNING',
      input: inputText,
      startDate,
      attempts,
      done: result.then(
        (output) => {
          execution.status = 'SUCCEEDED'
          execution.output = JSON.stringify(output)
          execution.stopDate = new Date()
          aborts.delete(executionArn)
          emitStatusChange(machine, execution)
          emitLogEvent(machine, execution)
          return execution
        },
        (error: Error) => {
          const cause = (error.cause ?? error) as Error
          // The machine-level TimeoutSeconds (the library enforces it) and StopExecution end the run
          // with errors of their own; no Catch of the definition sees either, as in AWS.
          if (error.name === 'ExecutionTimeoutError') {
            execution.status = 'TIMED_OUT'
            execution.error = 'States.Timeout'
          } else if (error.name === 'ExecutionAbortedError') {
            execution.status = 'ABORTED'
          } else {
            execution.status = 'FAILED'
            execution.error = cause.name
            execution.cause = cause.message
          }
          execution.stopDate = new Date()
          aborts.delete(executionArn)
          log(`${machine.name} ${executionName} ${execution.status}: ${execution.error ?? ''}`)
          emitStatusChange(machine, execution)
          emitLogEvent(machine, execution)
          return execution
        },
      ),
    }
    executions.set(standardArn, execution)
    if (executionArn !== standardArn) executions.set(executionArn, execution)
    return execution
  }

  const stopExecution = (executionArn: string) => {
    const execution = executions.get(executionArn)
    if (execution?.status === 'RUNNING') aborts.get(execution.executionArn)?.()
  }

  const describe = (execution: LocalExecution) => ({
    executionArn: execution.executionArn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    status: execution.status,
    startDate: execution.startDate.getTime() / 1000,
    ...(execution.stopDate ? { stopDate: execution.stopDate.getTime() / 1000 } : {}),
    input: execution.input,
    ...(execution.output !== undefined ? { output: execution.output } : {}),
    ...(execution.error !== undefined ? { error: execution.error, cause: execution.cause } : {}),
  })

  const operations: Record<string, (body: Record<string, unknown>) => unknown> = {
    StartExecution: (body) => {
      const execution = startExecution({
        stateMachineArn: String(body.stateMachineArn ?? ''),
        ...(typeof body.name === 'string' ? { name: body.name } : {}),
        ...(typeof body.input === 'string' ? { input: body.input } : {}),
      })
      return { executionArn: execution.executionArn, startDate: execution.startDate.getTime() / 1000 }
    },
    StopExecution: (body) => {
      const executionArn = String(body.executionArn ?? '')
      if (!executions.has(executionArn))
        throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`)
      stopExecution(executionArn)
      return { stopDate: Date.now() / 1000 }
    },
    DescribeExecution: (body) => {
      const execution = executions.get(String(body.executionArn ?? ''))
      if (!execution)
        throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${body.executionArn}'`)
      return describe(execution)
    },
    // All of one machine's executions, newest first, in one page (maxResults/nextToken ignored).
    ListExecutions: (body) => ({
      executions: [...new Set(executions.values())]
        .filter((execution) => execution.stateMachineArn === body.stateMachineArn)
        .filter((execution) => body.statusFilter === undefined || execution.status === body.statusFilter)
        .sort((a, b) => b.startDate.getTime() - a.startDate.getTime())
        .map(({ executionArn, stateMachineArn, name, status, startDate, stopDate }) => ({
          executionArn,
          stateMachineArn,
          name,
          status,
          startDate: startDate.getTime() / 1000,
          ...(stopDate ? { stopDate: stopDate.getTime() / 1000 } : {}),
        })),
    }),
  }

  const respond = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' })
    response.end(JSON.stringify(body))
  }

  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '').replace(/^AWSStepFunctions\./, '')
      const operation = operations[target]
      if (!operation) return respond(response, 400, { __type: 'UnknownOperationException', message: target })
      try {
        const body = chunks.length
          ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>)
          : {}
        respond(response, 200, operation(body))
      } catch (error) {
        if (error instanceof SfnError)
          return respond(response, 400, { __type: error.type, message: error.message })
        respond(response, 500, { __type: 'InternalFailure', message: (error as Error).message })
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  log(
    `Step Functions host on ${url}: ${machines.map((machine) => `${machine.name} (${machine.type})`).join(', ')}`,
  )

  return {
    url,
    machines,
    startExecution,
    describeExecution: (executionArn) => executions.get(executionArn),
    stopExecution,
    async stop() {
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()))
      await Promise.all([...executions.values()].map((execution) => execution.done))
      await Promise.all([...deliveries])
      await Promise.all(own.map((fn) => fn.stop()))
    },
  }
}

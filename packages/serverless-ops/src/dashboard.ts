// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not JS templates
import type { Resource, Resources } from './cfn'

/** A CloudWatch dashboard per service and stage, generated from the same inventory as the alarms. */
export const addDashboard = (resources: Resources, functions: [string, Resource][], stack: string): void => {
  const widgets: Record<string, unknown>[] = []
  const region = '${AWS::Region}'
  const add = (title: string, metrics: unknown[], extra: Record<string, unknown> = {}) => {
    widgets.push({
      type: 'metric',
      width: 12,
      height: 6,
      x: (widgets.length % 2) * 12,
      y: Math.floor(widgets.length / 2) * 6,
      properties: { title, region, metrics, view: 'timeSeries', period: 300, ...extra },
    })
  }
  const names = functions.map(([, fn]) => fn.Properties?.FunctionName)
  add(
    'Invocations',
    names.map((n) => ['AWS/Lambda', 'Invocations', 'FunctionName', n, { stat: 'Sum' }]),
  )
  add(
    'Errors and throttles',
    names.flatMap((n) => [
      ['AWS/Lambda', 'Errors', 'FunctionName', n, { stat: 'Sum' }],
      ['AWS/Lambda', 'Throttles', 'FunctionName', n, { stat: 'Sum' }],
    ]),
  )
  add(
    'Duration p99 (ms)',
    names.map((n) => ['AWS/Lambda', 'Duration', 'FunctionName', n, { stat: 'p99' }]),
  )
  add(
    'Concurrent executions',
    names.map((n) => ['AWS/Lambda', 'ConcurrentExecutions', 'FunctionName', n, { stat: 'Maximum' }]),
  )
  const queues = Object.entries(resources).filter(
    ([, r]) => r.Type === 'AWS::SQS::Queue' && r.Properties?.QueueName,
  )
  if (queues.length) {
    add(
      'Queue depth',
      queues.map(([, q]) => [
        'AWS/SQS',
        'ApproximateNumberOfMessagesVisible',
        'QueueName',
        q.Properties?.QueueName,
        { stat: 'Maximum' },
      ]),
    )
  }
  const machines = Object.entries(resources).filter(
    ([, r]) => r.Type === 'AWS::StepFunctions::StateMachine' && r.Properties?.StateMachineName,
  )
  if (machines.length) {
    add(
      'Executions',
      machines.flatMap(([, m]) => {
        const arn = `arn:aws:states:${region}:\${AWS::AccountId}:stateMachine:${m.Properties?.StateMachineName}`
        return ['ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsTimedOut'].map((metric) => [
          'AWS/States',
          metric,
          'StateMachineArn',
          arn,
          { stat: 'Sum' },
        ])
      }),
    )
  }
  resources.OpsDashboard = {
    Type: 'AWS::CloudWatch::Dashboard',
    Properties: { DashboardName: stack, DashboardBody: { 'Fn::Sub': JSON.stringify({ widgets }) } },
  }
}

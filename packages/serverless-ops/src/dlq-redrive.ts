// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not JS templates
import { assumableBy, isRecord, type Resources, referencedId } from './cfn'

/**
 * A scheduled redrive of every dead-letter queue into its source queue, with no code: EventBridge
 * Scheduler calls SQS StartMessageMoveTask directly (universal target). For services whose DLQ only
 * receives failures that a later retry can fix (throttling, a dependency's outage), this retries
 * them once a day instead of waiting for a person; messages that fail again return to the DLQ and
 * its depth alarm, and expire with the DLQ's retention.
 */
export const addDlqRedrives = (resources: Resources, stack: string, expression: string): void => {
  for (const [sourceId, queue] of Object.entries(resources)) {
    if (queue.Type !== 'AWS::SQS::Queue' || !isRecord(queue.Properties?.RedrivePolicy)) continue
    const dlqId = referencedId(queue.Properties?.RedrivePolicy.deadLetterTargetArn)
    if (!dlqId || resources[dlqId]?.Type !== 'AWS::SQS::Queue') continue
    const dlqArn = { 'Fn::GetAtt': [dlqId, 'Arn'] }
    const sourceArn = { 'Fn::GetAtt': [sourceId, 'Arn'] }
    resources[`${dlqId}RedriveRole`] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: assumableBy('scheduler.amazonaws.com', { sameAccount: true }),
        Policies: [
          {
            PolicyName: 'redrive',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                // What StartMessageMoveTask needs on the DLQ (it reads and deletes as it moves)...
                {
                  Effect: 'Allow',
                  Action: [
                    'sqs:StartMessageMoveTask',
                    'sqs:ReceiveMessage',
                    'sqs:DeleteMessage',
                    'sqs:GetQueueAttributes',
                  ],
                  Resource: dlqArn,
                },
                // ...and on the queue the messages go back to.
                { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: sourceArn },
              ],
            },
          },
        ],
      },
    }
    resources[`${dlqId}RedriveSchedule`] = {
      Type: 'AWS::Scheduler::Schedule',
      Properties: {
        Name: { 'Fn::Sub': `${stack}-\${${dlqId}.QueueName}-redrive` },
        Description: `Moves ${dlqId} back into ${sourceId} (${expression}, UTC)`,
        ScheduleExpression: expression,
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: {
          Arn: 'arn:aws:scheduler:::aws-sdk:sqs:startMessageMoveTask',
          RoleArn: { 'Fn::GetAtt': [`${dlqId}RedriveRole`, 'Arn'] },
          Input: {
            'Fn::Sub': [
              '{"SourceArn":"${Dlq}","DestinationArn":"${Source}","MaxNumberOfMessagesPerSecond":10}',
              { Dlq: dlqArn, Source: sourceArn },
            ],
          },
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        },
      },
    }
  }
}

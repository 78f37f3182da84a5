/**
 * The resource types through which something invokes a Lambda function (by its ARN or name). In
 * production every one of them must go through the function's `live` alias: serverless-ops points
 * them at it, and template-policy's `prod-live-alias` rule checks that none still names the function.
 * One list, so the rewrite and the check cannot drift apart.
 */
export const INVOKER_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Authorizer',
  'AWS::ApiGatewayV2::Integration',
  'AWS::ApiGatewayV2::Authorizer',
  'AWS::Lambda::Permission',
  'AWS::Lambda::EventSourceMapping',
  'AWS::SNS::Subscription',
  // A topic's inline `Subscription` list names its endpoints.
  'AWS::SNS::Topic',
  // A bucket's NotificationConfiguration names the functions it invokes.
  'AWS::S3::Bucket',
  'AWS::Events::Rule',
  'AWS::Scheduler::Schedule',
  'AWS::Logs::SubscriptionFilter',
  // Lambda tasks name their function in the definition's Fn::Sub map (serverless-step-functions):
  // the machine role's `<function arn>:*` already allows invoking the alias.
  'AWS::StepFunctions::StateMachine',
])

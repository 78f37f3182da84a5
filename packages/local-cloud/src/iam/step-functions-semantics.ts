/**
 * What Step Functions itself refuses, whatever IAM allows: DescribeExecution and StopExecution serve
 * Standard executions only (an Express execution's history is in CloudWatch Logs). The local host
 * answers both for every execution, because tests inspect Express runs through it as an
 * administrator would read their logs; the functions' calls arrive through the AWS gateway, which
 * refuses them as AWS does. Express execution ARNs say what they are (`...:express:<machine>:...`).
 */
import type { SignedRequest } from './sigv4'

const standardOnly = new Set(['DescribeExecution', 'StopExecution'])

/** The refusal AWS answers, or undefined when Step Functions would serve the request. */
export const stepFunctionsRefusal = (
  request: Pick<SignedRequest, 'headers' | 'body'>,
): { code: string; message: string; status: number } | undefined => {
  const operation = (request.headers['x-amz-target'] ?? '').replace(/^AWSStepFunctions\./, '')
  if (!standardOnly.has(operation)) return undefined
  let executionArn: unknown
  try {
    executionArn = (
      JSON.parse(Buffer.from(request.body).toString('utf8') || '{}') as { executionArn?: unknown }
    ).executionArn
  } catch {
    return undefined
  }
  if (typeof executionArn !== 'string' || executionArn.split(':')[5] !== 'express') return undefined
  return {
    code: 'InvalidArn',
    message: "Invalid Arn: 'Resource type not valid in this context: express'",
    status: 400,
  }
}

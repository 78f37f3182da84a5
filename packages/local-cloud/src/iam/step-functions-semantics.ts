/**
 * What Step Functions itself refuses, whatever IAM allows: DescribeExecution and StopExecution serve
 * Standard executions only (an Express execution's history is in CloudWatch Logs). The local host
 * answers both for every execution, because tests inspect Express runs through it as an
 * administrator would read their logs; the functions' calls arrive through the AWS gateway, which
 * refuses them as AWS does. Express execution ARNs say what they are (`...:express:<machine>:...`).
 */
import { bodyJson, operationOf } from './requests'
import type { SignedRequest } from './sigv4'

const standardOnly = new Set(['DescribeExecution', 'StopExecution'])

/** The refusal AWS answers, or undefined when Step Functions would serve the request. */
export const stepFunctionsRefusal = (
  request: Pick<SignedRequest, 'headers' | 'body'>,
): { code: string; message: string; status: number } | undefined => {
  if (!standardOnly.has(operationOf(request, 'AWSStepFunctions') ?? '')) return undefined
  const { executionArn } = bodyJson(request)
  if (typeof executionArn !== 'string' || executionArn.split(':')[5] !== 'express') return undefined
  return {
    code: 'InvalidArn',
    message: "Invalid Arn: 'Resource type not valid in this context: express'",
    status: 400,
  }
}

import { describe, expect, it } from 'vitest'
import { stepFunctionsRefusal } from './step-functions-semantics'

const call = (operation: string, body: unknown) => ({
  headers: { 'x-amz-target': `AWSStepFunctions.${operation}` },
  body: Buffer.from(JSON.stringify(body)),
})
const express = 'arn:aws:states:us-east-1:000000000000:express:workflows-local-text:job-1:run-1'
const standard = 'arn:aws:states:us-east-1:000000000000:execution:workflows-local-photo:job-1'

describe('Step Functions refusals the AWS gateway applies to functions', () => {
  it('refuses DescribeExecution and StopExecution of an Express execution with InvalidArn', () => {
    for (const operation of ['DescribeExecution', 'StopExecution'])
      expect(stepFunctionsRefusal(call(operation, { executionArn: express }))).toEqual({
        code: 'InvalidArn',
        message: "Invalid Arn: 'Resource type not valid in this context: express'",
        status: 400,
      })
  })

  it('lets Standard executions and every other operation through', () => {
    expect(stepFunctionsRefusal(call('DescribeExecution', { executionArn: standard }))).toBeUndefined()
    expect(stepFunctionsRefusal(call('StartExecution', { stateMachineArn: express }))).toBeUndefined()
    expect(stepFunctionsRefusal({ headers: {}, body: Buffer.from('not json') })).toBeUndefined()
  })
})

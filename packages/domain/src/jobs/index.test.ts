import { describe, expect, it } from 'vitest'
import { failureInput, toJobError } from '.'

describe('toJobError', () => {
  it('reads the message of a Lambda error Cause and drops its stack trace', () => {
    const cause = JSON.stringify({
      errorType: 'NotFoundError',
      errorMessage: 'No text at s3://b/k',
      trace: ['at x'],
    })
    expect(toJobError({ Error: 'NotFoundError', Cause: cause })).toEqual({
      name: 'NotFoundError',
      message: 'No text at s3://b/k',
    })
  })

  it('keeps a plain-text Cause (Step Functions errors) and a missing one', () => {
    expect(toJobError({ Error: 'States.Timeout', Cause: 'Task timed out' })).toEqual({
      name: 'States.Timeout',
      message: 'Task timed out',
    })
    expect(toJobError({ Error: 'States.Runtime' })).toEqual({ name: 'States.Runtime', message: '' })
  })

  it('validates the failure state input', () => {
    expect(
      failureInput.safeParse({ workflow: 'text', jobId: 'j', owner: 'o', failure: { Error: 'E' } }).success,
    ).toBe(true)
    expect(
      failureInput.safeParse({ workflow: 'video', jobId: 'j', owner: 'o', failure: { Error: 'E' } }).success,
    ).toBe(false)
  })
})

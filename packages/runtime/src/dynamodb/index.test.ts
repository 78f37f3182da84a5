import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb'
import { describe, expect, it } from 'vitest'
import { conditionalWrite, isConditionFailure } from '.'

const refused = (item?: Record<string, unknown>) =>
  new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: {},
    ...(item ? { Item: item as never } : {}),
  })

describe('conditionalWrite', () => {
  it("returns the write's output when the condition holds", async () => {
    await expect(
      conditionalWrite(
        async () => 'written',
        () => 'refused',
      ),
    ).resolves.toBe('written')
  })

  it('hands a failed condition (with the item DynamoDB returned) to onConditionFailed', async () => {
    const outcome = await conditionalWrite(
      async () => {
        throw refused({ version: { N: '2' } })
      },
      (error) => (error.Item ? 'superseded' : 'missing'),
    )
    expect(outcome).toBe('superseded')
    await expect(
      conditionalWrite(
        async () => {
          throw refused()
        },
        (error) => {
          throw new Error('conflict', { cause: error })
        },
      ),
    ).rejects.toThrow('conflict')
  })

  it('lets every other error through unchanged', async () => {
    const throttled = Object.assign(new Error('slow down'), {
      name: 'ProvisionedThroughputExceededException',
    })
    await expect(
      conditionalWrite(
        async () => {
          throw throttled
        },
        () => 'refused',
      ),
    ).rejects.toBe(throttled)
  })
})

describe('isConditionFailure', () => {
  it('recognises the error by class and by name (another SDK copy), nothing else', () => {
    expect(isConditionFailure(refused())).toBe(true)
    expect(
      isConditionFailure(Object.assign(new Error('x'), { name: 'ConditionalCheckFailedException' })),
    ).toBe(true)
    expect(isConditionFailure(new Error('ConditionalCheckFailedException'))).toBe(false)
    expect(isConditionFailure(null)).toBe(false)
  })
})

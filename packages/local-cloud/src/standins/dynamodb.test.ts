import { describe, expect, it } from 'vitest'
import { freePort } from '../ports'
import { JavaMissingError, startDynamoDb } from './dynamodb'

describe('DynamoDB Local without Java', () => {
  it('says Java is missing and how to install it', async () => {
    const start = startDynamoDb({ port: await freePort(), java: '/nonexistent/bin/java' })
    await expect(start).rejects.toThrow(JavaMissingError)
    await expect(start).rejects.toThrow(
      'DynamoDB Local needs Java 17+, but `/nonexistent/bin/java` was not found. Install it with: apt-get install -y openjdk-17-jre-headless',
    )
  })
})

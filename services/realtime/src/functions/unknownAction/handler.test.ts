import { describe, expect, it } from 'vitest'
import { handlerUnderTest, routeEvent } from '../../testing/functions'

const { db, invoke } = await handlerUnderTest('unknownAction', () => import('./handler'))

describe('unknownAction handler ($default)', () => {
  it.each([
    ['an action no route takes', { action: 'publish', topic: 'post:x' }],
    ['no JSON at all', 'hello'],
  ])('answers an error message with a type and an id for %s, touching nothing', async (_case, body) => {
    const result = (await invoke(routeEvent('user-1', 'conn-1', body))) as {
      statusCode: number
      body: string
    }
    expect(result.statusCode).toBe(400)
    expect(JSON.parse(result.body)).toEqual({
      type: 'error',
      id: 'message-1',
      detail: expect.stringMatching(/unknown action/),
    })
    expect(db.calls()).toEqual([])
  })
})

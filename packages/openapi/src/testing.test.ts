import { NotFoundError } from '@app/domain'
import { describe, expect, it } from 'vitest'
import * as z from 'zod'
import { internalProblemResponse, json, openApiDocument, problemResponse, responseHeaders } from './index'
import { responseValidator } from './testing'

const doc = openApiDocument({
  title: 'T',
  version: '1',
  description: 'd',
  servers: [{ url: 'https://api', description: 's' }],
})
doc.route({
  method: 'post',
  path: '/things/{id}',
  operationId: 'makeThing',
  summary: 's',
  security: doc.security,
  request: { params: z.object({ id: z.string() }) },
  responses: {
    201: {
      description: 'made',
      headers: responseHeaders.location('/things/1'),
      ...json(z.strictObject({ id: z.string(), size: z.int().optional() }).meta({ id: 'Thing' })),
    },
    204: { description: 'nothing' },
    ...problemResponse('none', new NotFoundError('No thing 1')),
    ...internalProblemResponse,
  },
})
const check = responseValidator(doc.generate() as never)
const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  check({
    method: 'POST',
    path: '/things/{id}',
    status,
    headers: new Headers(headers),
    text: body === undefined ? '' : JSON.stringify(body),
  })
const created = { 'content-type': 'application/json', location: '/things/1' }
const problem = { 'content-type': 'application/problem+json' }

describe('responseValidator', () => {
  it('accepts what the document declares: body, headers, problems, an empty 204', async () => {
    expect(await answer(201, { id: '1', size: 2 }, created)).toEqual([])
    expect(await answer(204, undefined)).toEqual([])
    expect(
      await answer(
        404,
        { type: '/problems/not-found', title: 'Not Found', status: 404, detail: 'x' },
        problem,
      ),
    ).toEqual([])
  })

  it('names a field the document does not declare, and a wrong type', async () => {
    expect((await answer(201, { id: '1', secret: 'leak' }, created)).join()).toMatch(
      /makeThing 201: body must NOT have additional properties .*secret/,
    )
    expect((await answer(201, { id: 1 }, created)).join()).toMatch(/body\/id must be string/)
  })

  it('validates problem bodies too (application/problem+json)', async () => {
    expect(
      (
        await answer(
          404,
          { type: '/problems/not-found', title: 'Not Found', status: 404, stack: 'at' },
          problem,
        )
      ).join(),
    ).toMatch(/additional properties .*stack/)
  })

  it('refuses an undeclared status or content type, a missing required header, a body on a 204', async () => {
    expect(await answer(409, { type: 'x', title: 'y', status: 409 }, problem)).toEqual([
      'makeThing 409: status not declared',
    ])
    expect((await answer(201, { id: '1' }, { ...created, 'content-type': 'text/plain' })).join()).toMatch(
      /content type 'text\/plain' not declared/,
    )
    expect((await answer(201, { id: '1' }, { 'content-type': 'application/json' })).join()).toMatch(
      /required header Location missing/,
    )
    expect((await answer(204, { id: '1' })).join()).toMatch(/a body where the document declares none/)
    expect(
      await check({ method: 'GET', path: '/nope', status: 200, headers: new Headers(), text: '' }),
    ).toEqual(['GET /nope: no such operation in the document'])
  })
})

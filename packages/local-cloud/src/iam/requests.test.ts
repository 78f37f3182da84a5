/**
 * The CloudFront invalidation calls as IAM sees them (AWS's service authorization reference:
 * CreateInvalidation, GetInvalidation and ListInvalidations act on the distribution, whose ARN has
 * no region), and a CloudFront call outside them refused rather than let through.
 */
import { describe, expect, it } from 'vitest'
import { authorizationRequestsOf } from './requests'
import type { SignedRequest } from './sigv4'

const arns = { region: 'eu-west-1', accountId: '123456789012' }
const request = (method: string, path: string): SignedRequest => ({
  method,
  path,
  query: '',
  headers: {},
  body: new Uint8Array(),
})

describe('CloudFront requests', () => {
  it('CreateInvalidation acts on the distribution, whose ARN is global', () => {
    expect(
      authorizationRequestsOf(
        'cloudfront',
        request('POST', '/2020-05-31/distribution/E2QWRUHAPOMQZL/invalidation'),
        arns,
      ),
    ).toEqual({
      ok: true,
      requests: [
        {
          action: 'cloudfront:CreateInvalidation',
          resource: 'arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL',
          context: {},
        },
      ],
    })
  })

  it('GetInvalidation and ListInvalidations act on the distribution too', () => {
    const actions = ['/invalidation/I2J0I21PCUYOIK', '/invalidation'].map((tail) => {
      const mapped = authorizationRequestsOf(
        'cloudfront',
        request('GET', `/2020-05-31/distribution/E2QWRUHAPOMQZL${tail}`),
        arns,
      )
      return mapped.ok ? mapped.requests.map((r) => `${r.action} ${r.resource}`) : mapped.reason
    })
    expect(actions).toEqual([
      ['cloudfront:GetInvalidation arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL'],
      ['cloudfront:ListInvalidations arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL'],
    ])
  })

  it('refuses what it does not map (UpdateDistribution)', () => {
    expect(
      authorizationRequestsOf(
        'cloudfront',
        request('PUT', '/2020-05-31/distribution/E2QWRUHAPOMQZL/config'),
        arns,
      ),
    ).toEqual({
      ok: false,
      reason: 'CloudFront PUT /2020-05-31/distribution/E2QWRUHAPOMQZL/config is not mapped',
    })
  })
})

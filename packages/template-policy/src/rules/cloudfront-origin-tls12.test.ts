import { describe, expect, it } from 'vitest'
import { cloudfrontOriginTls12 } from './cloudfront-origin-tls12'
import { t } from './fixtures'

const distribution = (protocols: string[]) =>
  t({
    D: {
      Type: 'AWS::CloudFront::Distribution',
      Properties: {
        DistributionConfig: {
          Origins: [
            { Id: 'site', DomainName: 'b.s3.us-east-1.amazonaws.com', OriginAccessControlId: { Ref: 'Oac' } },
            {
              Id: 'api',
              DomainName: 'x.execute-api',
              CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: protocols },
            },
          ],
        },
      },
    },
  })

describe('cloudfront-origin-tls12', () => {
  it('accepts custom origins on TLSv1.2 only', () => {
    expect(cloudfrontOriginTls12.check(distribution(['TLSv1.2']))).toEqual([])
  })

  it('flags a custom origin that allows TLSv1 or TLSv1.1', () => {
    expect(cloudfrontOriginTls12.check(distribution(['TLSv1.1', 'TLSv1.2']))).toEqual([
      { resource: 'D', message: 'origin api allows TLS below 1.2' },
    ])
  })
})

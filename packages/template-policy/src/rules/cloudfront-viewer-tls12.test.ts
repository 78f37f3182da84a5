import { describe, expect, it } from 'vitest'
import { cloudfrontViewerTls12 } from './cloudfront-viewer-tls12'
import { t } from './fixtures'

const distribution = (certificate: unknown) =>
  t({
    D: {
      Type: 'AWS::CloudFront::Distribution',
      Properties: { DistributionConfig: { ViewerCertificate: certificate } },
    },
  })
const custom = {
  AcmCertificateArn: 'arn',
  MinimumProtocolVersion: 'TLSv1.2_2021',
  SslSupportMethod: 'sni-only',
}

describe('cloudfront-viewer-tls12', () => {
  it('accepts a certificate with TLSv1.2_2021', () => {
    expect(cloudfrontViewerTls12.check(distribution(custom))).toEqual([])
  })

  it('flags the default certificate’s TLSv1 floor', () => {
    expect(cloudfrontViewerTls12.check(distribution({ CloudFrontDefaultCertificate: true }))).toEqual([
      { resource: 'D', message: 'viewer TLS minimum undefined (needs a certificate with TLSv1.2_2021+)' },
    ])
  })

  it('checks each branch of an Fn::If (which cfn-guard cannot evaluate)', () => {
    const perStage = { 'Fn::If': ['HasSiteDomain', custom, { CloudFrontDefaultCertificate: true }] }
    expect(cloudfrontViewerTls12.check(distribution(perStage))).toEqual([
      {
        resource: 'D',
        message:
          'viewer TLS minimum undefined when HasSiteDomain is false (needs a certificate with TLSv1.2_2021+)',
      },
    ])
  })
})

import { distributions, isRecord, type Rule, violation } from './kit'

const TLS_12_OR_LATER = /^TLSv1\.2_20(19|21)$|^TLSv1\.3/

/** Viewer TLS 1.2+ needs a custom certificate: the default *.cloudfront.net one is fixed at TLSv1. */
export const cloudfrontViewerTls12: Rule = {
  id: 'cloudfront-viewer-tls12',
  beyondGuard:
    'CT.CLOUDFRONT.PR.6/PR.7/PR.9 cannot evaluate the Fn::If that picks the viewer certificate per stage ' +
    '(suppressed for that reason); this rule checks each branch.',
  check: (template) =>
    distributions(template).flatMap(([id, config]) => {
      const certificate = config?.ViewerCertificate
      // A stage-dependent certificate (`Fn::If` on a condition such as "has a domain"): every branch counts.
      const condition = isRecord(certificate) ? certificate['Fn::If'] : undefined
      const branches = Array.isArray(condition) ? condition.slice(1) : [certificate]
      return branches.flatMap((branch, index) => {
        const minimum = isRecord(branch) ? branch.MinimumProtocolVersion : undefined
        if (TLS_12_OR_LATER.test(String(minimum))) return []
        const when = Array.isArray(condition) ? ` when ${String(condition[0])} is ${index === 0}` : ''
        return [
          violation(
            id,
            `viewer TLS minimum ${String(minimum)}${when} (needs a certificate with TLSv1.2_2021+)`,
          ),
        ]
      })
    }),
}

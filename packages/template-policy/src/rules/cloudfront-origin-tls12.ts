import { asList, distributions, isRecord, type Json, type Rule, violation } from './kit'

export const cloudfrontOriginTls12: Rule = {
  id: 'cloudfront-origin-tls12',
  beyondGuard:
    'CT.CLOUDFRONT.PR.11 rejects only SSLv3 towards custom origins; this rule also rejects TLSv1 and ' +
    'TLSv1.1. (OAC, HTTPS viewers and https-only origins are CT.CLOUDFRONT.PR.10, PR.3 and PR.8.)',
  check: (template) =>
    distributions(template).flatMap(([id, config]) =>
      asList(config?.Origins as Json[]).flatMap((origin) => {
        const custom = isRecord(origin) ? origin.CustomOriginConfig : undefined
        if (!isRecord(origin) || !isRecord(custom)) return []
        const protocols = asList(custom.OriginSSLProtocols as Json[])
        return !protocols.length || protocols.some((protocol) => protocol !== 'TLSv1.2')
          ? [violation(id, `origin ${String(origin.Id)} allows TLS below 1.2`)]
          : []
      }),
    ),
}

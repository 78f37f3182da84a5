import { describe, expect, it } from 'vitest'
import { substituteParams } from './print'

const placeholder = (name: string) =>
  `arn:aws:dynamodb:us-east-1:000000000000:table/local-cloud-param-${name}/stream/2000-01-01T00:00:00.000`

describe('substituteParams', () => {
  it('replaces param placeholders wherever they occur in the printed config, whole or inside strings', () => {
    const printed = {
      functions: { send: { events: [{ stream: { arn: placeholder('streamArn') } }] } },
      provider: { environment: { SITE: `${placeholder('siteUrl')}/posts`, OTHER: 1 } },
    }
    expect(
      substituteParams(printed, {
        streamArn: 'arn:aws:dynamodb:ddblocal:000000000000:table/subs/stream/x',
        siteUrl: 'http://127.0.0.1:3000',
      }),
    ).toEqual({
      functions: {
        send: { events: [{ stream: { arn: 'arn:aws:dynamodb:ddblocal:000000000000:table/subs/stream/x' } }] },
      },
      provider: { environment: { SITE: 'http://127.0.0.1:3000/posts', OTHER: 1 } },
    })
  })

  it('leaves a config without placeholders unchanged', () => {
    const printed = { service: 'x', custom: { list: ['a', 2, null] } }
    expect(substituteParams(printed, { a: 'b' })).toEqual(printed)
  })
})

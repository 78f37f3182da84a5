import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { servicesFor } from './test-setup'

const root = '/repo'

describe('which local cloud a test run gets', () => {
  it('none when no integration or e2e file is selected', () => {
    expect(
      servicesFor(['/repo/services/todo-api/src/a.test.ts', '/repo/packages/domain/src/b.test.ts'], root),
    ).toBeNull()
  })

  it('the services whose integration/e2e files are selected', () => {
    expect(
      servicesFor(
        [
          '/repo/services/todo-api/test/api.e2e.test.ts',
          '/repo/services/welcome-mailer/test/mailer.integration.test.ts',
          '/repo/services/welcome-mailer/src/unit.test.ts',
        ],
        root,
      ),
    ).toEqual(['todo-api', 'welcome-mailer'])
  })

  it('plus the services a file names in its `@local-cloud-services` line', () => {
    const root = join(import.meta.dirname, '..', '..', '..')
    expect(servicesFor([join(root, 'services/blog-site/test/studio.e2e.test.ts')], root)).toEqual([
      'blog-site',
      'realtime',
    ])
  })

  it('every service when an integration file outside services/ is selected (the drift test)', () => {
    expect(servicesFor(['/repo/packages/local-cloud/src/drift.integration.test.ts'], root)).toBeUndefined()
  })
})

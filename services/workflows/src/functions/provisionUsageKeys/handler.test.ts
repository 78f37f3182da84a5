import { describeUsageKeyProvisioner } from '@app/runtime/testing'

await describeUsageKeyProvisioner('provisionUsageKeys', () => import('./handler'))

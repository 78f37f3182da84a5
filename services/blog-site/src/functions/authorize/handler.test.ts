import { describeTokenAuthorizer } from '@app/runtime/testing'

await describeTokenAuthorizer('authorize handler', () => import('./handler'), ['authors'])

import { describeTokenAuthorizer } from '@app/runtime/testing'

await describeTokenAuthorizer('authorizer handler', () => import('./handler'), [], { usagePlans: true })

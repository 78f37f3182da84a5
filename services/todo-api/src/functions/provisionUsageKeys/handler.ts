import { usageKeyProvisionerFunction } from '@app/runtime/usage-key-provisioner'

/**
 * The usage key requests queue -> each new user's API key in this stack's per-user plan, at most two
 * batches at a time (packages/serverless-ops/usage-plans.cjs declares the function and its role).
 */
export const handler = usageKeyProvisionerFunction()

import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import {
  apiGatewayKeys,
  createApiGatewayClient,
  pacer,
  usageKeyProvisioner,
  usageKeyProvisionerEnvSchema,
} from '@app/runtime/usage-key-provisioner'
import { dynamoDbUsageKeyMarkers } from '@app/runtime/usage-keys'

const config = readConfig(usageKeyProvisionerEnvSchema)

/** The usage key requests queue -> each new user's key in this stack's per-user plan (one batch at a time). */
export const handler = usageKeyProvisioner(
  {
    keys: apiGatewayKeys(createApiGatewayClient(config)),
    markers: dynamoDbUsageKeyMarkers(createDocumentClient(config), config.USAGE_KEYS_TABLE),
    // 4 per second: under CreateApiKey's 5 per second for the account, leaving room for another stack's.
    pace: pacer(250),
  },
  { stage: config.STAGE, planId: config.USAGE_PLAN_ID },
)

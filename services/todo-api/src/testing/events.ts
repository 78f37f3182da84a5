import { restEvent as proxyEvent, type RestEventInput } from '@app/runtime/testing'
import type { APIGatewayProxyEvent } from 'aws-lambda'

// This service's tests import Lambda's doubles from one module; the fakes themselves are the kit's.
export { lambdaContext } from '@app/runtime/testing'

/** A REST API (v1) proxy event as API Gateway sends it after our TOKEN authorizer allowed `sub`. */
export const restEvent = (
  options: Omit<RestEventInput, 'authorizer'> & { method: string; path: string; sub?: string | undefined },
): APIGatewayProxyEvent => {
  const { sub, ...rest } = options
  return proxyEvent({
    ...rest,
    authorizer: sub ? { sub, username: sub, groups: '[]', principalId: sub } : null,
  })
}

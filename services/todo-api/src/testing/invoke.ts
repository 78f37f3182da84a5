import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda'
import { lambdaContext, restEvent } from './events'

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>

/** Calls a route in-process the way API Gateway would, and parses its JSON body. */
export const invoke = async (
  handler: Handler,
  request: Parameters<typeof restEvent>[0] & { json?: unknown },
  // biome-ignore lint/suspicious/noExplicitAny: tests assert on response shapes they chose to send
): Promise<{ status: number; headers: Record<string, unknown>; body: any }> => {
  const { json, ...rest } = request
  const event = restEvent({
    ...rest,
    ...(json !== undefined
      ? { body: JSON.stringify(json), headers: { 'content-type': 'application/json', ...rest.headers } }
      : {}),
  })
  const response = await handler(event, lambdaContext())
  return {
    status: response.statusCode,
    headers: response.headers ?? {},
    body: response.body ? JSON.parse(response.body) : undefined,
  }
}

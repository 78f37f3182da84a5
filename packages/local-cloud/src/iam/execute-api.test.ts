/**
 * A WebSocket API's `@connections` calls through the AWS gateway, with the real SDK client
 * (`@aws-sdk/client-apigatewaymanagementapi`, SigV4 as `execute-api`) and the real IAM engine: a
 * role granted `execute-api:ManageConnections` on its API's stage posts, and the post reaches the
 * API's server on the path serverless-offline serves; a role without the grant, or posting to a
 * stage it was not granted, gets the AccessDeniedException AWS answers and nothing reaches the API.
 */
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { CfnResource } from '@app/cloudformation'
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withTemplateOnlyIdentifiers } from '../template/identifiers'
import { type RunningAwsGateway, startAwsGateway } from './aws-gateway'
import {
  managementUpstreamKey,
  websocketApiIdOf,
  websocketApiLogicalId,
  websocketManagementEndpoint,
} from './execute-api'
import { credentialsMinter, functionIdentities, resourcePolicies } from './identities'
import { managementRequestsOf } from './requests'

const account = '000000000000'
const region = 'us-east-1'
const apiId = websocketApiIdOf('fx', 'local')

/** The realtime shape: a producer granted posting to its own API's connections, a function without. */
const resources: Record<string, CfnResource> = {
  PosterRole: {
    Type: 'AWS::IAM::Role',
    Properties: {
      RoleName: 'fx-poster-role',
      Policies: [
        {
          PolicyName: 'own',
          PolicyDocument: {
            Statement: [
              {
                Effect: 'Allow',
                Action: ['execute-api:ManageConnections'],
                Resource: {
                  'Fn::Sub':
                    'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${WebsocketsApi}/local/POST/@connections/*',
                },
              },
            ],
          },
        },
      ],
    },
  },
  OtherRole: {
    Type: 'AWS::IAM::Role',
    Properties: {
      RoleName: 'fx-other-role',
      Policies: [{ PolicyName: 'own', PolicyDocument: { Statement: [] } }],
    },
  },
  Poster: {
    Type: 'AWS::Lambda::Function',
    Properties: { FunctionName: 'fx-poster', Role: { 'Fn::GetAtt': ['PosterRole', 'Arn'] } },
  },
  Other: {
    Type: 'AWS::Lambda::Function',
    Properties: { FunctionName: 'fx-other', Role: { 'Fn::GetAtt': ['OtherRole', 'Arn'] } },
  },
}

const received: { method?: string; url?: string; body: string }[] = []
const api = createServer((request: IncomingMessage, response) => {
  const chunks: Buffer[] = []
  request.on('data', (chunk: Buffer) => chunks.push(chunk))
  request.on('end', () => {
    received.push({ method: request.method, url: request.url, body: Buffer.concat(chunks).toString() })
    response.writeHead(200).end()
  })
})
let gateway: RunningAwsGateway
const clients: Record<string, (stage?: string) => ApiGatewayManagementApiClient> = {}
const log: string[] = []

beforeAll(async () => {
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve))
  gateway = await startAwsGateway({
    port: 0,
    mode: 'enforce',
    upstreams: {
      [managementUpstreamKey(apiId)]: `http://127.0.0.1:${(api.address() as AddressInfo).port}`,
    },
    region,
    accountId: account,
    log: (line) => log.push(line),
  })
  const context = withTemplateOnlyIdentifiers(resources, {
    region,
    accountId: account,
    stackName: 'fx-local',
    refs: { [websocketApiLogicalId]: apiId },
  })
  const minter = credentialsMinter()
  const principals = functionIdentities('fx', resources, context).map((identity) => ({
    identity,
    credentials: minter.mint(identity.functionName),
  }))
  gateway.setPrincipals(principals, resourcePolicies(resources, context))
  for (const { identity, credentials } of principals)
    clients[identity.functionName] = (stage = 'local') =>
      new ApiGatewayManagementApiClient({
        region,
        endpoint: `${gateway.url}/${apiId}/${stage}`,
        credentials,
        maxAttempts: 1,
      })
})
afterAll(async () => {
  await gateway?.stop()
  await new Promise((resolve) => api.close(resolve))
})

const post = (who: string, connectionId: string, stage?: string) =>
  clients[who]!(stage).send(
    new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from('{"type":"hello"}') }),
  )

describe('execute-api:ManageConnections through the AWS gateway', () => {
  it('lets the granted role post, and the post reaches the API on its @connections path', async () => {
    received.length = 0
    await post('fx-poster', 'L0SM9cOFvHcCIhw=')
    expect(received).toEqual([
      { method: 'POST', url: '/@connections/L0SM9cOFvHcCIhw%3D', body: '{"type":"hello"}' },
    ])
  })

  it('refuses a role without the grant, as AWS does, and nothing reaches the API', async () => {
    received.length = 0
    const refused = await post('fx-other', 'abc').catch((error: Error) => error)
    expect(refused).toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining(
        `fx-other is not authorized to perform: execute-api:ManageConnections on resource: arn:aws:execute-api:${region}:${account}:${apiId}/local/POST/@connections/abc`,
      ),
      $metadata: { httpStatusCode: 403 },
    })
    expect(received).toEqual([])
  })

  it('holds the grant to its stage and verb: another stage or a DELETE is refused', async () => {
    received.length = 0
    expect(await post('fx-poster', 'abc', 'prod').catch((error: Error) => error.name)).toBe(
      'AccessDeniedException',
    )
    expect(
      await clients['fx-poster']!()
        .send(new DeleteConnectionCommand({ ConnectionId: 'abc' }))
        .catch((error: Error) => error.name),
    ).toBe('AccessDeniedException')
    expect(received).toEqual([])
  })
})

describe('the management API mapping', () => {
  it('maps each @connections call to ManageConnections on its verb and decoded connection id', () => {
    expect(
      managementRequestsOf('GET', `/${apiId}/local/@connections/a%3D`, { region, accountId: account }),
    ).toEqual({
      ok: true,
      requests: [
        {
          action: 'execute-api:ManageConnections',
          resource: `arn:aws:execute-api:${region}:${account}:${apiId}/local/GET/@connections/a=`,
          context: {},
        },
      ],
    })
    expect(managementRequestsOf('POST', '/local/@connections/a', { region, accountId: account }).ok).toBe(
      false,
    )
  })

  it("gives functions the gateway's endpoint for the API, or serverless-offline's port with IAM off", () => {
    const offline = {
      fx: { url: 'http://127.0.0.1:1', httpPort: 1, offlinePort: 2, lambdaPort: 3, websocketPort: 4 },
    }
    expect(
      websocketManagementEndpoint(
        { endpoints: { awsGateway: 'http://127.0.0.1:9' } as never, offline, stage: 'local' },
        'fx',
      ),
    ).toBe(`http://127.0.0.1:9/${apiId}/local`)
    expect(websocketManagementEndpoint({ endpoints: {} as never, offline, stage: 'local' }, 'fx')).toBe(
      'http://127.0.0.1:4',
    )
  })
})

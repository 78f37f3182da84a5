import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { describe, expect, it } from 'vitest'
import { todosEnvSchema } from '../config'
import { createTodoTables, type DaxConnector, type TableClient } from './todo-tables'

const env = { TODOS_TABLE: 'todos', AWS_REGION: 'eu-west-1' }
const db = createDocumentClient(readConfig(todosEnvSchema, env))

/** Stands in for lib-dax, which starts cluster discovery (sockets) as soon as it is constructed. */
const recordingConnector = () => {
  const opened: { endpoint: string; region: string }[] = []
  const cluster = {} as TableClient
  const connect: DaxConnector = async (endpoint, region) => {
    opened.push({ endpoint, region })
    return cluster
  }
  return { opened, cluster, connect }
}

describe('the client switch', () => {
  it('without DAX_ENDPOINT (unset, or empty as on stages without a cluster): DynamoDB alone, no DAX client', async () => {
    for (const stageEnv of [env, { ...env, DAX_ENDPOINT: '' }]) {
      const { opened, connect } = recordingConnector()
      const tables = await createTodoTables(readConfig(todosEnvSchema, stageEnv), db, connect)
      expect(tables.cache).toBeUndefined()
      expect(typeof tables.direct.get).toBe('function')
      expect(opened).toEqual([])
    }
  })

  it('with DAX_ENDPOINT: the cluster as the cache, DynamoDB still direct', async () => {
    const { opened, cluster, connect } = recordingConnector()
    const endpoint = 'daxs://todo-api-prod.abc123.dax-clusters.eu-west-1.amazonaws.com'
    const tables = await createTodoTables(
      readConfig(todosEnvSchema, { ...env, DAX_ENDPOINT: endpoint }),
      db,
      connect,
    )
    expect(tables.cache).toBe(cluster)
    expect(tables.direct).not.toBe(cluster)
    expect(opened).toEqual([{ endpoint, region: 'eu-west-1' }])
  })

  it('refuses a plaintext or malformed endpoint at cold start', () => {
    for (const DAX_ENDPOINT of [
      'dax://todo-api-prod.abc123.dax-clusters.eu-west-1.amazonaws.com',
      'daxs://',
      ' ',
    ])
      expect(() => readConfig(todosEnvSchema, { ...env, DAX_ENDPOINT }), DAX_ENDPOINT).toThrow(/DAX_ENDPOINT/)
  })
})

import type {
  DynamoDBDocumentClient,
  GetCommandInput,
  GetCommandOutput,
  QueryCommandInput,
  QueryCommandOutput,
  TransactWriteCommandInput,
  TransactWriteCommandOutput,
} from '@aws-sdk/lib-dynamodb'
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb'

/**
 * The calls the todo repository makes, in the method style that both DynamoDB's document client and
 * `@amazon-dax-sdk/lib-dax`'s DaxDocument offer (DaxDocument has no `send`: it throws).
 */
export interface TableClient {
  get(input: GetCommandInput): Promise<GetCommandOutput>
  query(input: QueryCommandInput): Promise<QueryCommandOutput>
  transactWrite(input: TransactWriteCommandInput): Promise<TransactWriteCommandOutput>
}

/**
 * Where the todo repository sends each call. `direct` is DynamoDB itself: strongly consistent reads
 * always go there (DAX would only pass them through, uncached, one network hop later). `cache`, when
 * the stage runs DAX, takes the eventually consistent reads and every write: DAX is write-through, so
 * an item written through it is current in its item cache, and a GET right after the write is fresh.
 */
export interface TodoTables {
  direct: TableClient
  cache?: TableClient
}

/** A TableClient over a `send`-style document client (the one `@app/runtime/dynamodb` creates). */
export const dynamoDbTable = (db: DynamoDBDocumentClient): TableClient => ({
  get: (input) => db.send(new GetCommand(input)),
  query: (input) => db.send(new QueryCommand(input)),
  transactWrite: (input) => db.send(new TransactWriteCommand(input)),
})

/** Opens a DAX cluster connection (cluster discovery starts at construction). */
export type DaxConnector = (endpoint: string, region: string) => Promise<TableClient>

/**
 * lib-dax (with its expression parser, ~1 MB unminified) is loaded only where a stage sets
 * DAX_ENDPOINT: the other stages never evaluate it. A DAX request must end well inside the
 * function's 10 s timeout (lib-dax's default is 60 s), leaving room for its one retry.
 */
export const connectDax: DaxConnector = async (endpoint, region) => {
  const { DaxDocument } = await import('@amazon-dax-sdk/lib-dax')
  return new DaxDocument({ endpoint, region, requestTimeout: 2_000 })
}

/**
 * The client switch: DynamoDB alone when the stage has no DAX cluster (DAX_ENDPOINT unset), DynamoDB
 * plus the cluster when it has one. One per function, at module scope.
 */
export const createTodoTables = async (
  config: { AWS_REGION: string; DAX_ENDPOINT?: string | undefined },
  db: DynamoDBDocumentClient,
  connect: DaxConnector = connectDax,
): Promise<TodoTables> => {
  const direct = dynamoDbTable(db)
  if (!config.DAX_ENDPOINT) return { direct }
  return { direct, cache: await connect(config.DAX_ENDPOINT, config.AWS_REGION) }
}

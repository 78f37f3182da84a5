/**
 * `pnpm dev`: the whole system on this machine (see --help). Ctrl-C / SIGTERM stop every child
 * process (DynamoDB Local's JVM, cognito-local, aws-ses-v2-local, serverless-offline).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { type RunningLocalCloud, startLocalCloud } from './cloud'
import { type IamMode, iamModes } from './iam/aws-gateway'
import { formatReport } from './iam/report'
import { PortInUseError } from './ports'
import { JavaMissingError } from './standins/dynamodb'

const help = `pnpm dev [--fresh] [--services a,b] [--iam enforce|report|off] [--port-offset N] [--data-dir DIR] [--verbose]

Starts the local cloud: DynamoDB Local (with streams), S3 (s3rver), SES v2 (aws-ses-v2-local, web
inbox), Cognito (cognito-local), serverless-offline for every HTTP service, and each service's
local wiring (services/<name>/local.ts). Tables, buckets and user pools come from the services'
serverless.yml. Seeds a demo user, prints every endpoint and writes .local/endpoints.json.

  --fresh     wipe the local data (.local/dynamodb, s3, cognito, services) before starting
  --services  only these services (and the ones whose compose outputs they need); default: all
              with a services/<name>/local.ts
  --port-offset N  add N to every port (run a second copy beside the first)
  --data-dir DIR   keep the data in DIR instead of .local (the sls print cache stays in .local/cache)
  --iam MODE  local functions' AWS calls against their roles (packaged templates): enforce (default:
              refused as in AWS), report (logged, allowed), off; or LOCAL_CLOUD_IAM. On exit the
              report (missing and unused grants per function) is printed and kept in .local/iam-report.json
  --verbose   echo every stand-in's and serverless-offline's output, list every local resource
  --help      this text

Data persists in .local/ between runs. Ctrl-C stops everything.`

const { values } = parseArgs({
  options: {
    fresh: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    services: { type: 'string' },
    'port-offset': { type: 'string' },
    'data-dir': { type: 'string' },
    iam: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
})
if (values.help) {
  console.log(help)
  process.exit(0)
}
if (values.iam && !(iamModes as readonly string[]).includes(values.iam)) {
  console.error(`--iam ${values.iam}: expected one of ${iamModes.join(', ')}`)
  process.exit(2)
}

const flatten = (value: unknown, prefix = ''): [string, string][] =>
  value !== null && typeof value === 'object'
    ? Object.entries(value).flatMap(([key, item]) => flatten(item, prefix ? `${prefix}.${key}` : key))
    : [[prefix, String(value)]]

const table = (rows: [string, string][]) => {
  const width = Math.max(...rows.map(([name]) => name.length))
  return rows.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`).join('\n')
}

const camelCase = (name: string) =>
  name.replace(/-([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase())

/**
 * The short table `pnpm dev` ends with: one row per service (the URLs it serves), one for the
 * stand-ins, one for the demo user. Every entry, named, is in endpoints.json (and with --verbose).
 */
const overview = (cloud: RunningLocalCloud): [string, string][] => {
  const urls = (keys: string[]) =>
    [
      ...new Set(
        keys.map((key) => cloud.endpoints[key]).filter((value) => /^(https?|wss?):/.test(String(value))),
      ),
    ]
      .map(String)
      .join('  ')
  const rows: [string, string][] = cloud.services.map((service) => {
    const keys = [
      ...(cloud.offline[service.name] ? [camelCase(service.name)] : []),
      ...Object.keys(service.local.endpoints?.(cloud) ?? {}),
    ]
    return [service.name, urls(keys) || '(no endpoint of its own: event wiring)']
  })
  const port = (url: unknown) => /:(\d+)/.exec(String(url))?.[1] ?? '?'
  const { endpoints } = cloud
  const standIns: [string, unknown][] = [
    ['dynamodb', endpoints.dynamodb],
    ['s3', endpoints.s3],
    ['ses (inbox)', endpoints.sesInbox],
    ['cognito', endpoints.cognito.endpoint],
    ['identity', endpoints.cognitoIdentity],
    ['step functions', endpoints.stepFunctions],
    ['aws gateway', endpoints.awsGateway],
  ]
  rows.push([
    'stand-ins',
    standIns
      .filter(([, url]) => url)
      .map(([name, url]) => `${name} :${port(url)}`)
      .join(', '),
  ])
  if (cloud.demoUser) rows.push(['demo user', `${cloud.demoUser.username} / ${cloud.demoUser.password}`])
  return rows
}

const summary = (cloud: RunningLocalCloud) => {
  const lines: string[] = []
  for (const service of cloud.services) {
    const derived = service.derived
    if (!derived) continue
    const created = [
      ...derived.tables.map((item) => `table ${item.tableName}`),
      ...derived.buckets.map((item) => `bucket ${item.bucketName}`),
      ...derived.userPools.map((item) => `user pool ${item.poolName}`),
    ]
    lines.push(`  ${service.name}: ${created.join(', ') || 'no local resources'}`)
    const skipped = derived.skipped.map((item) => `${item.logicalId} (${item.type})`)
    if (skipped.length) lines.push(`    skipped, no local stand-in: ${skipped.join(', ')}`)
    for (const output of service.skippedOutputs)
      lines.push(`    output ${output.name} has no local value: ${output.reason}`)
  }
  return lines.join('\n')
}

/** Per-service progress, shown with --verbose; phases, warnings and failures always are. */
const isDetail = (line: string) =>
  /^[\w-]+: (serverless\.yml (from cache|printed)|resources ready$|wired$|seeded$)/.test(line) ||
  /^iam: local [\w-]+: (cached|packaged) in/.test(line)

let cloud: RunningLocalCloud | undefined
let stopping = false
const shutdown = async (signal: string) => {
  if (stopping) return
  stopping = true
  console.log(`\n${signal}: stopping...`)
  // Still starting: exiting lets the exit handler kill every child's process group.
  if (!cloud) process.exit(130)
  const report = cloud.iamReport()
  await cloud.stop()
  if (report) {
    const reportFile = join(cloud.dataDir, 'iam-report.json')
    writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`)
    console.log(`${formatReport(report).join('\n')}\n(details in ${relative(process.cwd(), reportFile)})`)
  }
  console.log('stopped.')
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))

const startedAt = performance.now()
try {
  console.log(`Starting the local cloud${values.fresh ? ' (fresh: local data wiped)' : ''}...`)
  cloud = await startLocalCloud({
    ports: 'default',
    fresh: values.fresh,
    seed: true,
    ...(values['port-offset'] ? { portOffset: Number(values['port-offset']) } : {}),
    ...(values['data-dir'] ? { dataDir: resolve(values['data-dir']) } : {}),
    ...(values.iam ? { iam: values.iam as IamMode } : {}),
    ...(values.services ? { services: values.services.split(',').map((name) => name.trim()) } : {}),
    log: (line) => {
      if (values.verbose || !isDetail(line))
        console.log(`  [${((performance.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${line}`)
    },
    ...(values.verbose ? { echo: (line: string) => console.log(line) } : {}),
  })
} catch (error) {
  const known = error instanceof PortInUseError || error instanceof JavaMissingError
  console.error(`\nThe local cloud did not start: ${known ? (error as Error).message : ''}`)
  if (!known) console.error(error)
  process.exit(1)
}

const file = join(cloud.dataDir, 'endpoints.json')
const document = { ...cloud.endpoints, ...(cloud.demoUser ? { demoUser: cloud.demoUser } : {}) }
mkdirSync(cloud.dataDir, { recursive: true })
writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`)

if (values.verbose) {
  console.log(`\nResources (from each service's serverless.yml):\n${summary(cloud)}`)
  console.log(`\nEndpoints:\n${table(flatten(cloud.endpoints))}`)
}
console.log(`\n${table(overview(cloud))}`)
console.log(
  `\nReady in ${(cloud.readyInMs / 1000).toFixed(1)} s. Every endpoint is in ${relative(process.cwd(), file)}. Ctrl-C stops.`,
)

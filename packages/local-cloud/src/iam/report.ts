/**
 * The IAM report: per function, the calls it made against what its role grants. Missing grants
 * are the calls refused (AWS would refuse them too); unused grants are the role's Allow statements
 * no call needed during the run (slack a least-privilege role should not carry, or a path the run
 * did not exercise). Statements only the Lambda service itself exercises (logs, X-Ray) are listed
 * apart: no local call can use them.
 */
import type { FunctionIdentity } from './identities'
import type { AuthorizationRequest } from './requests'

export interface FunctionReport {
  service: string
  functionName: string
  used: { action: string; resource: string; calls: number }[]
  missing: { action: string; resource: string; calls: number }[]
  refusals: { reason: string; calls: number }[]
  unusedStatements: { statement: string; actions: string[]; resources: string[] }[]
}

/** What an AWS service principal did for the templates (S3 publishing, SNS sending, EventBridge invoking). */
export interface DeliveryReport {
  principal: string
  action: string
  resource: string
  /** The path, in words: `S3 notification blog-site-local-uploads -> SNS ...`. */
  what: string
  delivered: number
  /** Refused by the resource's policy: AWS would drop these (or fail the call). */
  denied: number
}

export interface IamReport {
  mode: string
  functions: FunctionReport[]
  deliveries: DeliveryReport[]
  anonymous: { request: string; calls: number }[]
  totals: { functions: number; calls: number; missing: number; unusedStatements: number }
}

/** Actions only the Lambda service and runtime perform for a function (never an SDK call of ours). */
const runtimeOnly = (action: string) => /^(logs|xray):/i.test(action)

const asList = (value: unknown): string[] =>
  value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String)

const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1)

interface Usage {
  identity: FunctionIdentity
  used: Map<string, number>
  missing: Map<string, number>
  refusals: Map<string, number>
  statements: Set<string>
}

export class ReportRecorder {
  readonly #functions = new Map<string, Usage>()
  readonly #anonymous = new Map<string, number>()
  readonly #deliveries = new Map<string, DeliveryReport>()
  readonly #unknown = new Map<string, Map<string, number>>()

  know(identities: readonly FunctionIdentity[]) {
    for (const identity of identities)
      if (!this.#functions.has(identity.functionName))
        this.#functions.set(identity.functionName, {
          identity,
          used: new Map(),
          missing: new Map(),
          refusals: new Map(),
          statements: new Set(),
        })
  }

  decided(identity: FunctionIdentity, request: AuthorizationRequest, allowed: boolean, statements: string[]) {
    const usage = this.#functions.get(identity.functionName)
    if (!usage) return
    const key = `${request.action} ${request.resource}`
    count(allowed ? usage.used : usage.missing, key)
    for (const statement of statements) usage.statements.add(statement)
  }

  /** A call refused before evaluation (unknown key, bad signature, unmapped request). */
  refused(functionName: string, reason: string) {
    const usage = this.#functions.get(functionName)
    const refusals = usage?.refusals ?? this.#unknown.get(functionName) ?? new Map<string, number>()
    if (!usage) this.#unknown.set(functionName, refusals)
    count(refusals, reason)
  }

  /** A service principal's call (`s3.amazonaws.com` publishing, ...), allowed or refused by a resource policy. */
  delivered(principal: string, request: AuthorizationRequest, allowed: boolean, what: string) {
    const key = JSON.stringify([principal, request.action, request.resource, what])
    const entry = this.#deliveries.get(key) ?? {
      principal,
      action: request.action,
      resource: request.resource,
      what,
      delivered: 0,
      denied: 0,
    }
    if (allowed) entry.delivered++
    else entry.denied++
    this.#deliveries.set(key, entry)
  }

  anonymous(request: string) {
    count(this.#anonymous, request)
  }

  report(mode: string): IamReport {
    const split = (map: Map<string, number>) =>
      [...map].map(([key, calls]) => {
        const [action = '', resource = ''] = key.split(' ')
        return { action, resource, calls }
      })
    const functions: FunctionReport[] = [...this.#functions.values()].map((usage) => {
      const unusedStatements: FunctionReport['unusedStatements'] = []
      for (const policy of usage.identity.policies) {
        const { Statement } = policy.document
        for (const [index, statement] of (Array.isArray(Statement) ? Statement : [Statement]).entries()) {
          if (statement.Effect !== 'Allow') continue
          const actions = asList(statement.Action)
          if (actions.every(runtimeOnly)) continue
          const id = `${policy.name}#${typeof statement.Sid === 'string' ? statement.Sid : index + 1}`
          if (!usage.statements.has(id))
            unusedStatements.push({ statement: id, actions, resources: asList(statement.Resource) })
        }
      }
      return {
        service: usage.identity.service,
        functionName: usage.identity.functionName,
        used: split(usage.used),
        missing: split(usage.missing),
        refusals: [...usage.refusals].map(([reason, calls]) => ({ reason, calls })),
        unusedStatements,
      }
    })
    for (const [name, refusals] of this.#unknown)
      functions.push({
        service: '?',
        functionName: name,
        used: [],
        missing: [],
        refusals: [...refusals].map(([reason, calls]) => ({ reason, calls })),
        unusedStatements: [],
      })
    const sum = (pick: (report: FunctionReport) => number) =>
      functions.reduce((total, f) => total + pick(f), 0)
    const deliveries = [...this.#deliveries.values()]
    return {
      mode,
      functions,
      deliveries,
      anonymous: [...this.#anonymous].map(([request, calls]) => ({ request, calls })),
      totals: {
        functions: functions.length,
        calls:
          sum((f) => f.used.reduce((t, u) => t + u.calls, 0) + f.missing.reduce((t, u) => t + u.calls, 0)) +
          deliveries.reduce((t, d) => t + d.delivered + d.denied, 0),
        missing:
          sum((f) => f.missing.length + f.refusals.length) + deliveries.filter((d) => d.denied > 0).length,
        unusedStatements: sum((f) => f.unusedStatements.length),
      },
    }
  }
}

/**
 * A few lines for a terminal: totals, then every missing grant (errors) and, with `unused`, every
 * statement never used (long on a run that exercised little).
 */
export const formatReport = (report: IamReport, { unused = false } = {}): string[] => {
  const lines = [
    `IAM (${report.mode}): ${report.totals.calls} calls by ${report.totals.functions} functions, ` +
      `${report.totals.missing} missing grants, ${report.totals.unusedStatements} statements never used`,
  ]
  for (const fn of report.functions) {
    for (const missing of fn.missing)
      lines.push(
        `  missing  ${fn.functionName}: ${missing.action} on ${missing.resource} (${missing.calls}×)`,
      )
    for (const refusal of fn.refusals)
      lines.push(`  refused  ${fn.functionName}: ${refusal.reason} (${refusal.calls}×)`)
  }
  for (const delivery of report.deliveries.filter((d) => d.denied > 0))
    lines.push(
      `  dropped  ${delivery.what}: ${delivery.principal} may not ${delivery.action} on ${delivery.resource} (${delivery.denied}×)`,
    )
  if (!unused) return lines
  for (const fn of report.functions)
    for (const unused of fn.unusedStatements)
      lines.push(
        `  unused   ${fn.functionName}: ${unused.actions.join(',')} on ${unused.resources.join(',')}`,
      )
  return lines
}

/**
 * `sls print` of every service (seconds each, cached in `.local/cache` by input hash), started at
 * once and awaited by provisioning service by service. A template that refuses placeholder params is
 * printed again with the real values once its upstream services' outputs exist.
 */
import { type PrintedService, printService } from '../template/print'
import { type CloudPlan, type PlannedService, stage } from './plan'

export interface PrintResult {
  printed: PrintedService
  /** Whether it came from `.local/cache`. */
  cached: boolean
}

/** A service's print, or `needsParams` when its template needs the real param values. */
export type Printing = Promise<PrintResult | 'needsParams' | undefined>

const print = (plan: CloudPlan, service: PlannedService, paramValues?: Record<string, string>) =>
  printService({
    serviceDir: service.dir,
    rootDir: plan.rootDir,
    stage,
    paramNames: Object.keys(service.compose?.params ?? {}),
    ...(paramValues ? { paramValues } : {}),
    cacheDir: plan.cacheDir,
  })

/** Starts printing every service with a serverless.yml; one promise per service name. */
export const startPrinting = (plan: CloudPlan, log: (line: string) => void): ReadonlyMap<string, Printing> =>
  new Map(
    plan.services.map((service) => {
      const printing: Printing = service.hasTemplate
        ? print(plan, service).then(
            (result) => {
              log(`${service.name}: serverless.yml ${result.cached ? 'from cache' : 'printed'}`)
              return result
            },
            (error: Error) => {
              if (!service.compose || !Object.keys(service.compose.params).length) throw error
              return 'needsParams' as const
            },
          )
        : Promise.resolve(undefined)
      // Observed by provisioning (or discarded on an earlier failure); never unhandled meanwhile.
      printing.catch(() => {})
      return [service.name, printing]
    }),
  )

/** The print with placeholders, or a second one with the real param values where the first refused. */
export const printedWith = async (
  plan: CloudPlan,
  service: PlannedService,
  printing: Printing,
  params: Record<string, string>,
  log: (line: string) => void,
): Promise<PrintResult | undefined> => {
  const first = await printing
  if (first !== 'needsParams') return first
  const result = await print(plan, service, params)
  log(`${service.name}: serverless.yml ${result.cached ? 'from cache' : 'printed'} (with param values)`)
  return result
}

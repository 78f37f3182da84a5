/**
 * serverless-ops: the operations layer every service gets from one definition instead of copies. After
 * the framework has compiled a service's CloudFormation (and merged its `resources`), it adds alarms
 * (alarms.ts), a dashboard (dashboard.ts), REST stage settings (rest-stage.ts), deployment bucket
 * Block Public Access (deployment-bucket.ts), in production a `live` alias with provisioned
 * concurrency and CodeDeploy shifting (live-alias.ts), and a scheduled DLQ redrive
 * (dlq-redrive.ts). Without `live` (dev), functions are not versioned at all.
 * Configuration: `custom.ops`, schema in config.ts.
 */
import { z } from 'zod'
import { addAlarms, alarmTopic } from './alarms'
import { functionsOf, type Template } from './cfn'
import { type OpsConfig, opsSchema, parseOpsConfig } from './config'
import { addDashboard } from './dashboard'
import { hardenDeploymentBucket } from './deployment-bucket'
import { addDlqRedrives } from './dlq-redrive'
import { addLiveAliases } from './live-alias'
import { applyRestStageSettings } from './rest-stage'

/** The parts of osls' `serverless` object the plugin uses (it ships no types). */
export interface Serverless {
  service: {
    custom?: { ops?: unknown }
    provider: { versionFunctions?: boolean; compiledCloudFormationTemplate: Template }
    getAllFunctions(): string[]
  }
  getProvider(name: 'aws'): { naming: { getStackName(): string; getLambdaLogicalId(name: string): string } }
  configSchemaHandler?: { defineCustomProperties?(schema: unknown): void }
  classes?: { Error: new (message: string) => Error }
}

export default class ServerlessOps {
  readonly hooks: Record<string, () => void>
  private config: OpsConfig | undefined

  constructor(private readonly serverless: Serverless) {
    // The same schema for osls' own validation (configValidationMode) as the one we enforce below.
    serverless.configSchemaHandler?.defineCustomProperties?.({
      type: 'object',
      properties: { ops: z.toJSONSchema(opsSchema, { io: 'input', unrepresentable: 'any' }) },
    })
    this.hooks = {
      initialize: () => this.configure(),
      'after:aws:package:finalize:mergeCustomProviderResources': () => this.compile(),
    }
  }

  private get options(): OpsConfig {
    if (!this.config) {
      try {
        this.config = parseOpsConfig(this.serverless.service.custom?.ops)
      } catch (error) {
        const ServerlessError = this.serverless.classes?.Error ?? Error
        throw new ServerlessError((error as Error).message)
      }
    }
    return this.config
  }

  /** Dev stages publish no versions: nothing points at them, they only accumulate. */
  private configure() {
    if (!this.options.live) this.serverless.service.provider.versionFunctions = false
  }

  private compile() {
    const options = this.options
    const template = this.serverless.service.provider.compiledCloudFormationTemplate
    const resources = template.Resources
    const functions = functionsOf(resources)
    const naming = this.serverless.getProvider('aws').naming
    const stack = naming.getStackName()

    hardenDeploymentBucket(resources)
    applyRestStageSettings(resources, options.apiThrottle)
    // Alarms can be switched off for throwaway stages; a live alias with canary needs its error alarms.
    let errorAlarms: Record<string, string> = {}
    if (options.alarms || options.live) {
      errorAlarms = addAlarms(resources, functions, stack, alarmTopic(template, stack, options), options)
    }
    if (options.live) {
      addLiveAliases(
        resources,
        functions,
        stack,
        errorAlarms,
        options,
        this.serverless.service.getAllFunctions(),
        (name) => naming.getLambdaLogicalId(name),
      )
    }
    if (options.redriveSchedule) addDlqRedrives(resources, stack, options.redriveSchedule)
    if (options.dashboard) addDashboard(resources, functions, stack)
  }
}

/**
 * Preload (`node --require`) for `sls package` when only the CloudFormation template is wanted, not
 * the code in it (`packageStage({ bundles: false })`: the local cloud reads roles, policies and
 * resources from the template, never the zips). It puts a stand-in for serverless-esbuild in place:
 * instead of bundling every function with esbuild and zipping it (most of a packaging's time, and
 * loading the real plugin alone pulls in `effect`), it gives every function an empty zip of the
 * name serverless-esbuild would give it. osls then compiles the same template; only what is computed
 * from the code differs (`CodeSha256` and the logical ids of `AWS::Lambda::Version` resources).
 */
'use strict'

const Module = require('node:module')
const { mkdirSync, writeFileSync } = require('node:fs')
const { join, relative } = require('node:path')

/** A zip with no entries: its end-of-central-directory record alone. */
const EMPTY_ZIP = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)])

class TemplateOnlyBundles {
  constructor(serverless) {
    this.serverless = serverless
    // The function property serverless-esbuild declares, so configValidationMode sees the same schema.
    serverless.configSchemaHandler.defineFunctionProperties(serverless.service.provider.name, {
      properties: { skipEsbuild: { type: 'boolean' } },
    })
    this.hooks = { 'before:package:createDeploymentArtifacts': () => this.placeholders() }
  }

  placeholders() {
    const { service } = this.serverless
    const serviceDir = this.serverless.serviceDir
    // Where serverless-esbuild writes its zips (`<outputWorkFolder>/.serverless/`), so S3 keys match.
    const workFolder = service.custom?.esbuild?.outputWorkFolder || '.esbuild'
    const dir = join(serviceDir, workFolder, '.serverless')
    mkdirSync(dir, { recursive: true })
    const write = (name) => {
      const path = join(dir, name)
      writeFileSync(path, EMPTY_ZIP)
      return path
    }
    if (!service.package?.individually) {
      service.package = { ...service.package, artifact: write(`${service.service}.zip`) }
      return
    }
    for (const [alias, fn] of Object.entries(service.functions ?? {})) {
      if (!fn.handler || fn.skipEsbuild || fn.package?.artifact) continue
      fn.package = { ...fn.package, artifact: relative(serviceDir, write(`${alias}.zip`)) }
    }
  }
}

const load = Module._load
Module._load = function loadWithoutBundler(request, parent, isMain) {
  if (/[\\/]serverless-esbuild[\\/]dist[\\/]index\.js$/.test(request)) return TemplateOnlyBundles
  return load.call(this, request, parent, isMain)
}

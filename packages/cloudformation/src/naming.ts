/**
 * The logical ids the Serverless Framework (osls) and its plugins give what they generate, from the
 * framework's own naming module (`serverless/lib/plugins/aws/lib/naming.js`, the object every osls
 * plugin reaches as `provider.naming`) and serverless-step-functions' (`lib/naming.js`), so a reader
 * of a template finds `createTodo`'s function, log group or role by the id the framework really gives
 * it, never by a copy of its rules. Names our own plugin adds (alarms, aliases) derive from the same
 * normalised function name.
 */
// Referenced, not only included by this package's tsconfig: a project that type-checks only its own
// files and reaches this module through an import (a generated service's `tsc -p`) needs it too.
/// <reference path="./naming-modules.d.ts" />
import framework from 'serverless/lib/plugins/aws/lib/naming.js'
import stepFunctions from 'serverless-step-functions/lib/naming.js'

// Both modules are plain objects of methods (no state, no types shipped: ./naming-modules.d.ts). The
// plugin mixes its methods into itself and reaches the framework's through `this.provider.naming`,
// as it does inside osls.
const stepFunctionsNaming = { ...stepFunctions, provider: { naming: framework } }

/** `create-todo` → `CreateDashtodo`: the framework's normalised function name, prefix of every id it generates for it. */
export const normalizedFunctionName = (functionKey: string): string =>
  framework.getNormalizedFunctionName(functionKey)

/** `stripStrings` → `StripStringsLambdaFunction`. */
export const functionLogicalId = (functionKey: string): string => framework.getLambdaLogicalId(functionKey)

/** `stripStrings` → `StripStringsLogGroup`. */
export const logGroupLogicalId = (functionKey: string): string => framework.getLogGroupLogicalId(functionKey)

/** The provider-wide execution role: `IamRoleLambdaExecution`. */
export const sharedRoleLogicalId = (): string => framework.getRoleLogicalId()

/**
 * serverless-iam-roles-per-function's role of one function: the normalised function name followed by
 * the shared role's id (its `createRoleForFunction`), `StripStringsIamRoleLambdaExecution`.
 */
export const functionRoleLogicalId = (functionKey: string): string =>
  `${normalizedFunctionName(functionKey)}${sharedRoleLogicalId()}`

/** serverless-step-functions' id of a state machine: its `id` (or `name`) if set, else `<Key>StepFunctionsStateMachine`. */
export const stateMachineLogicalId = (key: string, machine?: { id?: string; name?: string }): string =>
  stepFunctions.getStateMachineLogicalId.call(stepFunctionsNaming, key, machine)

const FUNCTION_SUFFIX = 'LambdaFunction'

/**
 * The prefix the ids of one function's resources share, from its function logical id:
 * `StripStringsLambdaFunction` → `StripStrings` (its `StripStringsLogGroup`, `StripStringsErrorsAlarm`...).
 */
export const functionBaseId = (functionLogicalId: string): string =>
  functionLogicalId.endsWith(FUNCTION_SUFFIX)
    ? functionLogicalId.slice(0, -FUNCTION_SUFFIX.length)
    : functionLogicalId

/** The log group the framework declares for a function, from the function's logical id. */
export const logGroupIdOfFunction = (functionLogicalId: string): string =>
  `${functionBaseId(functionLogicalId)}LogGroup`

import { ConflictError } from '@app/domain'
import type { Workflow } from '@app/domain/jobs'
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn'
import type { WorkflowStarter } from '../ports'

/**
 * The one WorkflowStarter: the Step Functions API. In AWS it reaches Step Functions; locally
 * `AWS_ENDPOINT_URL_SFN` points the same client at the local host's StartExecution /
 * DescribeExecution endpoint (packages/local-cloud/src/wiring/step-functions.ts), so no local-only
 * code path exists in the handlers.
 */
export const createSfnWorkflowStarter = (
  client: SFNClient,
  machines: Readonly<Record<Workflow, string | undefined>>,
): WorkflowStarter => ({
  async start(workflow, name, input) {
    const stateMachineArn = machines[workflow]
    if (!stateMachineArn) throw new Error(`No state machine configured for the ${workflow} workflow`)
    try {
      const out = await client.send(
        new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }),
      )
      return { executionArn: out.executionArn! }
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists)
        throw new ConflictError(`Execution ${name} exists`, { cause: error })
      throw error
    }
  },
  async describe(executionArn) {
    const out = await client.send(new DescribeExecutionCommand({ executionArn }))
    return {
      status: out.status ?? 'RUNNING',
      ...(out.startDate ? { startDate: out.startDate.toISOString() } : {}),
      ...(out.stopDate ? { stopDate: out.stopDate.toISOString() } : {}),
      ...(out.error ? { error: out.error } : {}),
      ...(out.cause ? { cause: out.cause } : {}),
    }
  },
})

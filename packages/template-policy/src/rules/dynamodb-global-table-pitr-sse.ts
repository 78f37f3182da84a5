import { resourcesOfType } from '@app/cloudformation'
import { asList, isRecord, type Json, props, type Rule, truthy, violation } from './kit'

export const dynamodbGlobalTablePitrSse: Rule = {
  id: 'dynamodb-global-table-pitr-sse',
  beyondGuard:
    'CT.DYNAMODB.PR.1/PR.2 check AWS::DynamoDB::Table only; a global table keeps PITR per replica, ' +
    'which no Control Tower rule reads.',
  check: (template) =>
    resourcesOfType(template, 'AWS::DynamoDB::GlobalTable').flatMap(([id, table]) => {
      const p = props(table)
      const sse = p.SSESpecification
      return [
        ...(isRecord(sse) && truthy(sse.SSEEnabled)
          ? []
          : [violation(id, 'SSESpecification.SSEEnabled not true')]),
        ...asList(p.Replicas as Json[])
          .filter((replica) => {
            const pitr = isRecord(replica) ? replica.PointInTimeRecoverySpecification : undefined
            return !(isRecord(pitr) && truthy(pitr.PointInTimeRecoveryEnabled))
          })
          .map((replica) =>
            violation(
              id,
              `replica ${JSON.stringify(isRecord(replica) ? replica.Region : replica)} without PITR`,
            ),
          ),
      ]
    }),
}

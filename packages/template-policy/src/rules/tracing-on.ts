import { resourcesOfType } from '@app/cloudformation'
import { isRecord, props, type Rule, referencedId, restApiStages, violation } from './kit'

export const tracingOn: Rule = {
  id: 'tracing-on',
  beyondGuard:
    'Control Tower has no Lambda tracing rule; CT.APIGATEWAY.PR.2 reads AWS::ApiGateway::Stage only, ' +
    "while the framework declares REST stages in the Deployment's StageDescription. State machines " +
    'are left to CT.STEPFUNCTIONS.PR.2.',
  check: (template) => {
    const functions = resourcesOfType(template, 'AWS::Lambda::Function')
    const active = (id: string) => {
      const tracing = props(template.Resources[id] ?? { Type: '' }).TracingConfig
      return isRecord(tracing) && tracing.Mode === 'Active'
    }
    return [
      ...functions.filter(([id]) => !active(id)).map(([id]) => violation(id, 'X-Ray tracing not Active')),
      // Lambda refuses Active tracing (at deploy time) when the execution role cannot send segments.
      ...functions
        .filter(([id, fn]) => {
          const role = template.Resources[referencedId(props(fn).Role) ?? '']
          return (
            active(id) &&
            role !== undefined &&
            !JSON.stringify(role.Properties ?? {}).includes('xray:PutTraceSegments')
          )
        })
        .map(([id]) => violation(id, 'Active tracing but its role may not call xray:PutTraceSegments')),
      ...restApiStages(template)
        .filter((stage) => !stage.tracing)
        .map((stage) => violation(stage.id, 'API Gateway stage without X-Ray tracing')),
    ]
  },
}

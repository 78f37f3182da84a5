import { resourcesOfType } from '@app/cloudformation'
import { isRecord, props, type Rule, restApiStages, type Violation, violation } from './kit'

export const apigatewayStageThrottling: Rule = {
  id: 'apigateway-stage-throttling',
  beyondGuard: 'Control Tower has no throttling rule for API Gateway stages.',
  check: (template) => {
    const violations: Violation[] = []
    const restApis = resourcesOfType(template, 'AWS::ApiGateway::RestApi')
    if (restApis.length && !restApiStages(template).some((stage) => stage.throttled)) {
      for (const [id] of restApis)
        violations.push(violation(id, 'no stage-level throttling (MethodSettings /*/*)'))
    }
    for (const [id, stage] of resourcesOfType(template, 'AWS::ApiGatewayV2::Stage')) {
      const route = props(stage).DefaultRouteSettings
      if (
        !(
          isRecord(route) &&
          route.ThrottlingRateLimit !== undefined &&
          route.ThrottlingBurstLimit !== undefined
        )
      ) {
        violations.push(violation(id, 'HTTP API stage without DefaultRouteSettings throttling'))
      }
    }
    return violations
  },
}

/**
 * Packages the fixture service with the real framework (osls, offline) for dev and prod and checks
 * what the plugin added, including that its resources match the CloudFormation specification and
 * pass the same policy rules as the services.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CfnResource, CfnTemplate } from '@app/cloudformation'
import { rule } from '@app/template-policy/rules'
import { nextRuns } from '@app/template-policy/schedules'
import { checkTemplateAgainstSpec } from '@app/template-policy/spec'
import { afterAll, describe, expect, it } from 'vitest'

const fixture = join(import.meta.dirname, '__fixtures__', 'svc')
const sls = join(import.meta.dirname, '..', '..', '..', 'node_modules', '.bin', 'sls')
const out = mkdtempSync(join(tmpdir(), 'serverless-ops-'))
afterAll(() => rmSync(out, { recursive: true, force: true }))

const packageFor = (stage: string): CfnTemplate => {
  const dir = join(out, stage)
  execFileSync(sls, ['package', '--stage', stage, '--package', dir], {
    cwd: fixture,
    env: {
      ...process.env,
      SLS_TELEMETRY_DISABLED: '1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    },
    stdio: 'pipe',
  })
  return JSON.parse(
    readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as CfnTemplate
}

const dev = packageFor('dev')
const prod = packageFor('prod')
const ofType = (t: CfnTemplate, type: string) =>
  Object.entries(t.Resources).filter(([, r]) => r.Type === type)
const alarmNames = (t: CfnTemplate) =>
  ofType(t, 'AWS::CloudWatch::Alarm').map(([, r]) => r.Properties?.AlarmName)
const get = (t: CfnTemplate, id: string) => t.Resources[id] as CfnResource

describe.each([
  ['dev', dev],
  ['prod', prod],
])('%s template', (_stage, template) => {
  it('matches the CloudFormation specification and our policy rules', () => {
    expect(checkTemplateAgainstSpec(template)).toEqual([])
    // The rules the plugin's output touches (the fixture's own bucket and table are not its concern).
    const touched = [
      'iam-no-wildcard-actions',
      'iam-star-resource-only-where-required',
      'lambda-consumers-on-failure',
      'logs-retention',
      'apigateway-stage-throttling',
      'tracing-on',
    ]
    const failures = touched.flatMap((id) =>
      rule(id)
        .check(template)
        .map((v) => `${id}: ${v.resource}: ${v.message}`),
    )
    expect(failures).toEqual([])
  })

  it('alarms on errors, throttles and p99 duration for every function, with the timeout share as threshold', () => {
    const names = alarmNames(template)
    for (const fn of ['api', 'worker', 'streamer', 'thumbnail']) {
      for (const kind of ['errors', 'throttles', 'p99-duration'])
        expect(names).toContain(`ops-fixture-${_stage}-${fn}-${kind}`)
    }
    expect(get(template, 'StreamerDurationAlarm').Properties).toMatchObject({
      ExtendedStatistic: 'p99',
      Threshold: 24_000,
    })
    expect(get(template, 'ApiDurationAlarm').Properties).toMatchObject({ Threshold: 8_000 })
  })

  it('alarms on every failure queue (not on the work queue), on stream iterator age and on API 5xx', () => {
    const depth = ofType(template, 'AWS::CloudWatch::Alarm')
      .filter(([, r]) => r.Properties?.MetricName === 'ApproximateNumberOfMessagesVisible')
      .map(([id]) => id)
      .sort()
    expect(depth).toEqual(['AsyncFailuresDepthAlarm', 'StreamFailuresDepthAlarm', 'WorkDlqDepthAlarm'])
    expect(
      ofType(template, 'AWS::CloudWatch::Alarm').some(([, r]) => r.Properties?.MetricName === 'IteratorAge'),
    ).toBe(true)
    expect(
      ofType(template, 'AWS::CloudWatch::Alarm').some(([, r]) => r.Properties?.MetricName === '5XXError'),
    ).toBe(true)
  })

  it('notifies the stack’s encrypted alarm topic and draws a dashboard of every function', () => {
    // Not alias/aws/sns: CloudWatch may not use the AWS managed key, so alarms would never notify.
    expect(get(template, 'OpsAlarmTopic').Properties).toMatchObject({
      KmsMasterKeyId: { Ref: 'OpsAlarmKey' },
    })
    expect(JSON.stringify(get(template, 'OpsAlarmKey').Properties)).toContain(
      '"Service":"cloudwatch.amazonaws.com"',
    )
    for (const [, alarm] of ofType(template, 'AWS::CloudWatch::Alarm')) {
      expect(alarm.Properties?.AlarmActions).toEqual([{ Ref: 'OpsAlarmTopic' }])
    }
    const body = JSON.stringify(get(template, 'OpsDashboard').Properties?.DashboardBody)
    for (const fn of ['api', 'worker', 'streamer', 'thumbnail'])
      expect(body).toContain(`ops-fixture-${_stage}-${fn}`)
  })

  it('puts throttling and X-Ray tracing on the REST stage and Block Public Access on the deployment bucket', () => {
    const [[, deployment] = []] = ofType(template, 'AWS::ApiGateway::Deployment')
    expect(deployment?.Properties?.StageDescription).toMatchObject({
      TracingEnabled: true,
      ThrottlingRateLimit: 50,
      ThrottlingBurstLimit: 100,
    })
    expect(
      get(template, 'ServerlessDeploymentBucket').Properties?.PublicAccessBlockConfiguration,
    ).toMatchObject({
      BlockPublicAcls: true,
      RestrictPublicBuckets: true,
    })
  })
})

describe('DLQ redrive schedule', () => {
  it('moves each DLQ back into its source queue daily at 03:15 UTC, with a role scoped to the two queues', () => {
    const schedule = get(dev, 'WorkDlqRedriveSchedule').Properties as Record<string, unknown>
    expect(schedule).toMatchObject({
      ScheduleExpression: 'cron(15 3 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
    })
    expect(nextRuns(String(schedule.ScheduleExpression), new Date('2026-01-01T00:00:00Z'), 2)).toEqual([
      '2026-01-01T03:15:00.000Z',
      '2026-01-02T03:15:00.000Z',
    ])
    expect(JSON.stringify(schedule.Target)).toContain('aws-sdk:sqs:startMessageMoveTask')
    expect(JSON.stringify(get(dev, 'WorkDlqRedriveRole').Properties)).toContain(
      '"Resource":{"Fn::GetAtt":["WorkDlq","Arn"]}',
    )
    // Only queues with a RedrivePolicy have a DLQ to redrive.
    expect(dev.Resources.StreamFailuresRedriveSchedule).toBeUndefined()
  })
})

describe('a stage with alarms: false', () => {
  it('gets no alarms and no alarm topic, but keeps the dashboard and stage settings', () => {
    const scratch = packageFor('scratch')
    expect(ofType(scratch, 'AWS::CloudWatch::Alarm')).toEqual([])
    expect(scratch.Resources.OpsAlarmTopic).toBeUndefined()
    expect(scratch.Resources.OpsDashboard).toBeDefined()
  })
})

describe('dev', () => {
  it('publishes no versions and no aliases', () => {
    expect(ofType(dev, 'AWS::Lambda::Version')).toEqual([])
    expect(ofType(dev, 'AWS::Lambda::Alias')).toEqual([])
  })
})

describe('prod', () => {
  it('gives every function a live alias on its published version', () => {
    for (const fn of ['Api', 'Worker', 'Streamer', 'Thumbnail']) {
      const alias = get(prod, `${fn}LiveAlias`)
      expect(alias.Properties).toMatchObject({ Name: 'live', FunctionName: { Ref: `${fn}LambdaFunction` } })
      const { FunctionVersion } = alias.Properties as { FunctionVersion: { 'Fn::GetAtt': string[] } }
      const [version = ''] = FunctionVersion['Fn::GetAtt']
      expect(get(prod, version).Type).toBe('AWS::Lambda::Version')
    }
  })

  it('points API routes, permissions, event source mappings, S3 notifications and async configs at the alias', () => {
    const json = (r: CfnResource) => JSON.stringify(r.Properties)
    const [[, method] = []] = ofType(prod, 'AWS::ApiGateway::Method')
    expect(json(method as CfnResource)).toContain('{"Ref":"ApiLiveAlias"}')
    expect(json(method as CfnResource)).not.toContain('ApiLambdaFunction')
    for (const [, permission] of ofType(prod, 'AWS::Lambda::Permission')) {
      expect(JSON.stringify(permission.Properties?.FunctionName)).toMatch(/LiveAlias/)
    }
    for (const [, mapping] of ofType(prod, 'AWS::Lambda::EventSourceMapping')) {
      expect(JSON.stringify(mapping.Properties?.FunctionName)).toMatch(/LiveAlias/)
    }
    const bucket = ofType(prod, 'AWS::S3::Bucket').find(([id]) => id !== 'ServerlessDeploymentBucket')?.[1]
    expect(JSON.stringify(bucket?.Properties)).toContain('ThumbnailLiveAlias')
    const [[, config] = []] = ofType(prod, 'AWS::Lambda::EventInvokeConfig')
    expect(config?.Properties?.Qualifier).toBe('live')
  })

  it('keeps provisioned concurrency on the latency-sensitive API alias only', () => {
    expect(get(prod, 'ApiLiveAlias').Properties?.ProvisionedConcurrencyConfig).toEqual({
      ProvisionedConcurrentExecutions: 2,
    })
    expect(get(prod, 'WorkerLiveAlias').Properties?.ProvisionedConcurrencyConfig).toBeUndefined()
  })

  it('shifts traffic gradually through CodeDeploy, rolling back on the function’s error alarm', () => {
    expect(get(prod, 'ApiLiveAlias').UpdatePolicy).toEqual({
      CodeDeployLambdaAliasUpdate: {
        ApplicationName: { Ref: 'OpsCodeDeployApplication' },
        DeploymentGroupName: { Ref: 'ApiDeploymentGroup' },
      },
    })
    expect(get(prod, 'ApiDeploymentGroup').Properties).toMatchObject({
      DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      AlarmConfiguration: { Enabled: true, Alarms: [{ Name: 'ops-fixture-prod-api-errors' }] },
      AutoRollbackConfiguration: {
        Enabled: true,
        Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
      },
    })
  })
})

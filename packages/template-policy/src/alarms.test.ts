// biome-ignore-all lint/suspicious/noExplicitAny: serverless.yml parsed as untyped YAML
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Serverless Framework variables
/**
 * Every service's alarms reach someone: each alarm of every packaged template (dev and prod) notifies
 * an SNS topic of its own stack that CloudWatch can publish to (rule cloudwatch-alarm-topic-usable),
 * and every service lets a stage subscribe a person (`alarmEmail` param handed to serverless-ops,
 * which subscribes it to the topic: packages/serverless-ops/src/plugin.test.ts). Before, welcome-mailer's
 * alarms went to a topic under alias/aws/sns and thumbnailer and workflows had no `alarmEmail`.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { readCompose } from '@app/cloudformation'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { rule } from './rules'
import { ensurePackaged, loadPackaged, ROOT_DIR } from './templates'

await ensurePackaged()
const { templates } = loadPackaged()
const services = readCompose(ROOT_DIR)

describe('alarms reach a person', () => {
  it.each(templates.map((entry) => [`${entry.stage}/${entry.service}`, entry] as const))(
    '%s: every alarm notifies a topic of its stack that CloudWatch can publish to',
    (_name, { template }) => {
      const alarms = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm')
      expect(alarms.length).toBeGreaterThan(0)
      for (const [id, alarm] of alarms) {
        const actions = (alarm.Properties?.AlarmActions ?? []) as { Ref?: string }[]
        expect(actions.length, id).toBeGreaterThan(0)
        for (const action of actions)
          expect(template.Resources[action.Ref ?? '']?.Type, `${id} -> ${JSON.stringify(action)}`).toBe(
            'AWS::SNS::Topic',
          )
      }
      expect(rule('cloudwatch-alarm-topic-usable').check(template)).toEqual([])
    },
  )

  it.each(services.map((service) => [service.name, service.path] as const))(
    '%s: a stage can subscribe an e-mail address (params alarmEmail -> custom.ops.alarmEmail)',
    (_name, path) => {
      const definition: any = parse(readFileSync(join(ROOT_DIR, path, 'serverless.yml'), 'utf8'))
      expect(definition.params?.default).toHaveProperty('alarmEmail', '')
      expect(definition.custom?.ops?.alarmEmail).toBe('${param:alarmEmail}')
      expect(definition.custom?.ops?.alarmTopicArn).toBeUndefined()
    },
  )
})

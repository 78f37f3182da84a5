import { describe, expect, it } from 'vitest'
import { type UsageKeyMarkers, usageKeyName, usageKeyValue } from '../usage-keys'
import { type ApiKeys, pacer, provisionUsageKey } from '.'

/** API Gateway's keys and plans in memory: values unique (a second key with a taken value conflicts). */
const inMemoryApiGateway = () => {
  const keys = new Map<string, { name: string; value: string }>()
  const plans = new Map<string, Set<string>>()
  const log: string[] = []
  let failAddToPlan = false
  const api: ApiKeys = {
    findByName: async (name) => [...keys].find(([, key]) => key.name === name)?.[0],
    create: async (name, value) => {
      log.push(`create ${name}`)
      if ([...keys.values()].some((key) => key.value === value || key.name === name)) return undefined
      const id = `key-${keys.size + 1}`
      keys.set(id, { name, value })
      return id
    },
    addToPlan: async (planId, keyId) => {
      if (failAddToPlan) throw new Error('TooManyRequestsException')
      log.push(`addToPlan ${planId}`)
      plans.set(planId, (plans.get(planId) ?? new Set()).add(keyId))
    },
  }
  return {
    api,
    keys,
    plans,
    log,
    failAddToPlan: () => {
      failAddToPlan = true
    },
  }
}

const inMemoryMarkers = () => {
  const items = new Map<string, string>()
  const markers: UsageKeyMarkers = {
    has: async (sub) => items.has(sub),
    put: async (sub, keyId) => {
      items.set(sub, keyId)
    },
  }
  return { items, markers }
}

const TODO = { stage: 'test', planId: 'todo-plan' }
const WORKFLOWS = { stage: 'test', planId: 'workflows-plan' }

describe('provisionUsageKey', () => {
  it("creates the user's key with the value the authorizer names, puts it in the plan, then marks the user", async () => {
    const gateway = inMemoryApiGateway()
    const { items, markers } = inMemoryMarkers()
    expect(
      await provisionUsageKey({ keys: gateway.api, markers, pace: async () => undefined }, TODO, 'u1'),
    ).toBe('provisioned')
    const [[id, key]] = [...gateway.keys] as [[string, { name: string; value: string }]]
    expect(key).toEqual({ name: usageKeyName('test', 'u1'), value: usageKeyValue('test', 'u1') })
    expect(gateway.plans.get('todo-plan')).toEqual(new Set([id]))
    expect(items.get('u1')).toBe(id)
  })

  it('shares the key another service of the stage created: one key per user, in both plans', async () => {
    const gateway = inMemoryApiGateway()
    const pace = async () => undefined
    await provisionUsageKey({ keys: gateway.api, markers: inMemoryMarkers().markers, pace }, TODO, 'u1')
    const workflows = inMemoryMarkers()
    await provisionUsageKey({ keys: gateway.api, markers: workflows.markers, pace }, WORKFLOWS, 'u1')
    expect(gateway.keys.size).toBe(1)
    expect(gateway.plans.get('workflows-plan')).toEqual(gateway.plans.get('todo-plan'))
    expect(gateway.log.filter((entry) => entry.startsWith('create'))).toHaveLength(1)
    expect(workflows.items.has('u1')).toBe(true)
  })

  it('does nothing for a user already marked (duplicate requests, redeliveries)', async () => {
    const gateway = inMemoryApiGateway()
    const { markers } = inMemoryMarkers()
    const ports = { keys: gateway.api, markers, pace: async () => undefined }
    await provisionUsageKey(ports, TODO, 'u1')
    gateway.log.length = 0
    expect(await provisionUsageKey(ports, TODO, 'u1')).toBe('present')
    expect(gateway.log).toEqual([])
  })

  it('finds the key by name when its create conflicts (the other service won the race)', async () => {
    const gateway = inMemoryApiGateway()
    const racing: ApiKeys = {
      ...gateway.api,
      // The lookup before creating misses the key the other service is creating right then.
      findByName: (() => {
        let calls = 0
        return async (name) => (calls++ === 0 ? undefined : gateway.api.findByName(name))
      })(),
    }
    await provisionUsageKey(
      { keys: gateway.api, markers: inMemoryMarkers().markers, pace: async () => undefined },
      TODO,
      'u1',
    )
    const workflows = inMemoryMarkers()
    await provisionUsageKey(
      { keys: racing, markers: workflows.markers, pace: async () => undefined },
      WORKFLOWS,
      'u1',
    )
    expect(gateway.keys.size).toBe(1)
    expect(workflows.items.get('u1')).toBe([...gateway.keys.keys()][0])
  })

  it('writes no marker when the key did not reach the plan (the authorizer would get the user 403s)', async () => {
    const gateway = inMemoryApiGateway()
    const { items, markers } = inMemoryMarkers()
    gateway.failAddToPlan()
    await expect(
      provisionUsageKey({ keys: gateway.api, markers, pace: async () => undefined }, TODO, 'u1'),
    ).rejects.toThrow('TooManyRequestsException')
    expect(items.size).toBe(0)
  })

  it('waits for the pacer before every create, and only before creates', async () => {
    const gateway = inMemoryApiGateway()
    let paced = 0
    const ports = { keys: gateway.api, markers: inMemoryMarkers().markers, pace: async () => void paced++ }
    await provisionUsageKey(ports, TODO, 'u1')
    await provisionUsageKey({ ...ports, markers: inMemoryMarkers().markers }, WORKFLOWS, 'u1')
    expect(paced).toBe(1)
  })
})

describe('pacer', () => {
  it('lets one call through per interval, the next waiting for the rest of it', async () => {
    let now = 1_000
    const slept: number[] = []
    const clock = {
      now: () => now,
      sleep: async (ms: number) => {
        slept.push(ms)
        now += ms
      },
    }
    const pace = pacer(250, clock)
    await pace()
    now += 100
    await pace()
    now += 300
    await pace()
    expect(slept).toEqual([150])
  })
})

import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { lambdaRuntimeVariables } from './environment'
import { type LocalFunction, startLocalFunction } from './runtime'

const serviceDir = join(import.meta.dirname, '..', '__fixtures__', 'lambda')
const started: LocalFunction[] = []
afterAll(() => Promise.all(started.map((fn) => fn.stop())))

/** A fixture function of `service` whose output lines are kept. */
const fixture = (service: string, environment: Record<string, string>) => {
  const output: string[] = []
  const name = `${service}-test-handler`
  const fn = startLocalFunction({
    name,
    serviceDir,
    handler: 'handler.handler',
    memorySize: 256,
    timeoutSeconds: 30,
    environment: {
      ...lambdaRuntimeVariables({ name, handler: 'handler.handler', memorySize: 256, region: 'eu-west-1' }),
      POWERTOOLS_SERVICE_NAME: service,
      POWERTOOLS_METRICS_NAMESPACE: `${service}-namespace`,
      ...environment,
    },
    output: (line) => output.push(line),
  })
  started.push(fn)
  const json = () => output.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line))
  return { fn, output, json }
}

// Every sandbox's first invocation is a cold start (a worker importing the handler): seconds each on a busy machine.
describe('startLocalFunction', { timeout: 60_000 }, () => {
  // Two functions of one module and one shared logger/metrics package, in one process at once: the
  // case in-process imports got wrong (the first import's environment, or none, for everyone).
  it('gives each function its own environment before its module is imported, isolated from the others', async () => {
    process.env.LOCAL_CLOUD_RUNTIME_TEST = 'the runner process environment'
    const first = fixture('first', { FIXTURE_VALUE: 'one' })
    const second = fixture('second', { FIXTURE_VALUE: 'two' })
    const [a, b] = await Promise.all([first.fn.invoke({}), second.fn.invoke({})])
    expect(a).toEqual({
      atImport: 'one',
      functionName: 'first-test-handler',
      memoryLimitInMB: '256',
      remainingMs: expect.any(Number),
      lambdaName: 'first-test-handler',
      fromRunner: null,
      // JSON-serialised, as Lambda returns results.
      when: '1970-01-01T00:00:00.000Z',
    })
    expect((a as { remainingMs: number }).remainingMs).toBeGreaterThan(25_000)
    expect(b).toMatchObject({ atImport: 'two', functionName: 'second-test-handler' })

    for (const [service, run] of [
      ['first', first],
      ['second', second],
    ] as const) {
      // A worker's stdout reaches this thread asynchronously, possibly after the result.
      await vi.waitFor(() => expect(run.json().filter((line) => line._aws)).toHaveLength(1))
      const log = run.json().find((line) => line.message === 'Fixture invoked')
      expect(log, run.output.join('\n')).toMatchObject({
        service,
        function_name: `${service}-test-handler`,
        function_memory_size: '256',
        function_arn: `arn:aws:lambda:eu-west-1:000000000000:function:${service}-test-handler`,
      })
      const emf = run.json().find((line) => line._aws)
      expect(emf?._aws.CloudWatchMetrics[0].Namespace).toBe(`${service}-namespace`)
      expect(emf).toMatchObject({ service, FixtureInvocations: 1 })
      expect(run.output.join('\n')).not.toMatch(/service_undefined|default_namespace/)
    }
  })

  it('rejects with the handler error, name kept, and stays warm', async () => {
    const { fn } = fixture('failing', { FIXTURE_VALUE: 'kept' })
    await expect(fn.invoke({ fail: 'no such thing' })).rejects.toMatchObject({
      name: 'FixtureError',
      message: 'no such thing',
    })
    // Module scope ran once: the same sandbox answers the next invocation.
    await expect(fn.invoke({})).resolves.toMatchObject({ atImport: 'kept' })
  })

  it('fails an invocation still waiting for its cold start when the function is stopped', async () => {
    const { fn } = fixture('stopped', { FIXTURE_VALUE: 'never used' })
    const failed = expect(fn.invoke({})).rejects.toThrow('stopped-test-handler: stopped')
    await fn.stop()
    await failed
  })

  it('fails an invocation whose init fails, and tries the init again on the next one', async () => {
    const { fn } = fixture('broken', {})
    await expect(fn.invoke({})).rejects.toThrow('FIXTURE_VALUE is not set')
    await expect(fn.invoke({})).rejects.toThrow('FIXTURE_VALUE is not set')
  })
})

import fc from 'fast-check'
import type { z } from 'zod'

/**
 * fast-check arbitraries built from the domain's own zod schemas, for the services' fuzz tests: a
 * fuzz run only reaches a route's success path when most of its requests are valid, and only stays
 * honest when "valid" is decided by the very schema the route parses with.
 *
 * `validInput(schema)` walks the schema (objects, strings with their lengths, patterns and formats,
 * numbers with their bounds, enums, literals, unions, arrays, optional/nullable/default, pipes) and
 * keeps only values the schema accepts, so refinements it cannot read are still honoured.
 * `nearMiss(schema)` makes one targeted mutation of a valid object (a field dropped, added, retyped
 * or oversized). zod-fast-check covers zod 3 and fast-check 3 only; this is the zod 4 subset we use.
 */

type Def = {
  type: string
  checks?: { _zod: { def: Record<string, unknown> } }[]
  [key: string]: unknown
}
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def
const checksOf = (def: Def) => (def.checks ?? []).map((check) => check._zod.def)

/** Longest plain string generated: values near a real maximum come from `nearMiss` and the routes' own cases. */
const LONG = 40

const stringArbitrary = (def: Def): fc.Arbitrary<string> => {
  let min = 0
  let max = Number.POSITIVE_INFINITY
  let pattern = def.pattern instanceof RegExp ? def.pattern : undefined
  for (const check of checksOf(def)) {
    if (check.check === 'min_length') min = Math.max(min, check.minimum as number)
    if (check.check === 'max_length') max = Math.min(max, check.maximum as number)
    if (check.check === 'length_equals') min = max = check.length as number
    if (check.check === 'string_format' && check.pattern instanceof RegExp) pattern ??= check.pattern
  }
  const fits = (value: string) => value.length >= min && value.length <= max
  switch (def.format) {
    case 'email':
      return fc.emailAddress().filter(fits)
    case 'uuid':
      return fc.uuid()
    case 'datetime':
      return fc
        .date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2099-12-31T23:59:59Z'),
          noInvalidDate: true,
        })
        .map((date) => date.toISOString())
    case 'date':
      return fc
        .date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2099-12-31T23:59:59Z'),
          noInvalidDate: true,
        })
        .map((date) => date.toISOString().slice(0, 10))
  }
  // fast-check refuses the `i` flag; the case-sensitive pattern matches a subset of the same strings.
  if (pattern)
    return fc.stringMatching(new RegExp(pattern.source, pattern.flags.replace('i', ''))).filter(fits)
  return fc.string({ minLength: min, maxLength: Math.max(min, Math.min(max, LONG)) })
}

const numberArbitrary = (def: Def): fc.Arbitrary<number> => {
  let min = -1e9
  let max = 1e9
  let integer = def.format === 'safeint' || def.format === 'int32'
  for (const check of checksOf(def)) {
    if (check.check === 'greater_than')
      min = (check.value as number) + (check.inclusive ? 0 : integer ? 1 : 1e-9)
    if (check.check === 'less_than')
      max = (check.value as number) - (check.inclusive ? 0 : integer ? 1 : 1e-9)
    if (check.check === 'number_format' && String(check.format).includes('int')) integer = true
  }
  return integer
    ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true })
}

/** Raw candidates for `schema`, before the schema's own verdict; `undefined`: cannot be generated. */
const candidates = (schema: z.ZodType): fc.Arbitrary<unknown> | undefined => {
  const def = defOf(schema)
  switch (def.type) {
    case 'string':
      return stringArbitrary(def)
    case 'number': {
      const numbers = numberArbitrary(def)
      // A coerced number is read from text (a query string): send it as text.
      return def.coerce ? numbers.map(String) : numbers
    }
    case 'boolean':
      return fc.boolean()
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]))
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, unknown>))
    case 'optional':
    case 'default':
      return fc.option(validInput(def.innerType as z.ZodType), { nil: undefined })
    case 'nullable':
      return fc.option(validInput(def.innerType as z.ZodType), { nil: null })
    case 'array': {
      let maxLength = 4
      let minLength = 0
      for (const check of checksOf(def)) {
        if (check.check === 'max_length') maxLength = Math.min(maxLength, check.maximum as number)
        if (check.check === 'min_length') minLength = check.minimum as number
      }
      return fc.array(validInput(def.element as z.ZodType), {
        minLength,
        maxLength: Math.max(minLength, maxLength),
      })
    }
    case 'union':
      return fc.oneof(...(def.options as z.ZodType[]).map((option) => validInput(option)))
    case 'pipe': {
      // A normalising transform (trim, lower-case) keeps most valid outputs valid inputs: offer both sides.
      const sides = [def.in, def.out].flatMap((side) => candidates(side as z.ZodType) ?? [])
      return sides.length ? fc.oneof(...sides) : undefined
    }
    case 'object': {
      const shape = def.shape as Record<string, z.ZodType>
      const optional = (field: z.ZodType) => ['optional', 'default'].includes(defOf(field).type)
      const fields = Object.fromEntries(
        Object.entries(shape).map(([key, field]) => [
          key,
          optional(field) ? validInput(defOf(field).innerType as z.ZodType) : validInput(field),
        ]),
      )
      return fc.record(fields, {
        requiredKeys: Object.keys(shape).filter((key) => !optional(shape[key] as z.ZodType)),
      })
    }
    default:
      return undefined
  }
}

/**
 * Values `schema` accepts (its input side: what a client sends). A refinement that rejects nearly
 * every candidate (e.g. "starts with photos/") starves the filter: build such values by hand and
 * check them with the schema instead.
 */
export const validInput = <S extends z.ZodType>(schema: S): fc.Arbitrary<z.input<S>> => {
  const raw = candidates(schema)
  if (!raw) throw new Error(`validInput: cannot generate a zod "${defOf(schema).type}"`)
  return raw.filter((value) => schema.safeParse(value).success) as fc.Arbitrary<z.input<S>>
}

/** Values of the wrong type for nearly any field. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, 0, -1, 1.5, '', ' ', '\u0000', [], {}, 'x'.repeat(5000)),
  fc.jsonValue({ maxDepth: 2 }),
)

/**
 * A valid object of `schema` (from `valid`, by default `validInput(schema)`) with one targeted mutation: a field dropped, an unknown field added,
 * a field retyped, a string field padded past any sane maximum or given a control character.
 * The result may still be valid (an optional field dropped): callers judge it with the schema.
 */
export const nearMiss = <S extends z.ZodType>(
  schema: S,
  valid: fc.Arbitrary<unknown> = validInput(schema),
): fc.Arbitrary<Record<string, unknown>> =>
  valid.chain((valid) => {
    const value = valid as Record<string, unknown>
    const keys = Object.keys(value)
    const key = keys.length ? fc.constantFrom(...keys) : fc.constant('value')
    const without = (name: string) => Object.fromEntries(Object.entries(value).filter(([k]) => k !== name))
    return fc.oneof(
      key.map(without),
      fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), wrongValue).map(([name, extra]) => ({
        ...value,
        [keys.includes(name) ? `${name}_` : name]: extra,
      })),
      fc.tuple(key, wrongValue).map(([name, replacement]) => ({ ...value, [name]: replacement })),
      key.map((name) => ({ ...value, [name]: `${String(value[name])}${'x'.repeat(3000)}` })),
      key.map((name) => ({ ...value, [name]: `${String(value[name])}\u0007` })),
    )
  })

/**
 * Counts a fuzzed route's answers and checks that the run reached what it claims to test: at least
 * `minAccepted` of the requests succeeded (2xx/304) and every declared 4xx status was seen.
 * `line()` is the one line a run prints per route.
 */
export const statusTally = (route: string) => {
  const counts = new Map<number, number>()
  const total = () => [...counts.values()].reduce((sum, count) => sum + count, 0)
  const accepted = () =>
    [...counts].filter(([status]) => status < 400).reduce((sum, [, count]) => sum + count, 0)
  const percent = (count: number) => `${((100 * count) / Math.max(1, total())).toFixed(1)}%`
  return {
    record(status: number) {
      counts.set(status, (counts.get(status) ?? 0) + 1)
    },
    line() {
      const rejected = [...counts]
        .filter(([status]) => status >= 400)
        .sort(([a], [b]) => a - b)
        .map(([status, count]) => `${status} ${percent(count)}`)
        .join(', ')
      return `${route}: ${total()} requests, accepted ${percent(accepted())}, rejected ${percent(total() - accepted())} (${rejected || 'none'})`
    },
    check({ minAccepted, declared }: { minAccepted: number; declared: readonly number[] }) {
      const missing = declared.filter((status) => !counts.has(status))
      const undeclared = [...counts.keys()].filter((status) => status >= 400 && !declared.includes(status))
      const problems = [
        ...(accepted() < minAccepted * total()
          ? [`accepted ${percent(accepted())}, below the ${minAccepted * 100}% this fuzz run needs`]
          : []),
        ...(missing.length ? [`never answered ${missing.join(', ')}`] : []),
        ...(undeclared.length ? [`answered undeclared ${undeclared.join(', ')}`] : []),
      ]
      if (problems.length) throw new Error(`${route}: ${problems.join('; ')}`)
    },
  }
}

/** What a fuzzed route declares to the shared HTTP stack (`httpRoute` in packages/runtime). */
export interface HttpRouteContract {
  auth: boolean
  /** `httpRoute`'s `maxBodyBytes` (its default: 16 KiB). */
  maxBodyBytes?: number
  body?: z.ZodType
  query?: z.ZodType
  path?: z.ZodType
}

/** A request as the fuzz tests build it, before it becomes an API Gateway event. */
export interface HttpRequestShape {
  authenticated: boolean
  headers?: Readonly<Record<string, string>>
  body?: string | null | undefined
  isBase64Encoded?: boolean
  query?: Readonly<Record<string, string>> | null | undefined
  pathParameters?: Readonly<Record<string, string>> | null | undefined
}

/** Marks a body that is present but not JSON. */
export const NOT_JSON = Symbol('not JSON')

/** The request's body as the HTTP stack decodes it: `undefined` when empty, `NOT_JSON` when broken. */
export const jsonBody = (request: HttpRequestShape): unknown => {
  if (request.body === undefined || request.body === null || request.body === '') return undefined
  const text = request.isBase64Encoded ? Buffer.from(request.body, 'base64').toString('utf8') : request.body
  try {
    return JSON.parse(text)
  } catch {
    return NOT_JSON
  }
}

/**
 * The status the shared HTTP stack answers before a route's handler runs (401, 413, 415, 400), in
 * the order it checks, or `undefined` when it lets the request through: the fuzz tests' oracle
 * for everything that is not the route's own business.
 */
export const httpVerdict = (route: HttpRouteContract, request: HttpRequestShape): number | undefined => {
  if (route.auth && !request.authenticated) return 401
  const body = jsonBody(request)
  if (body !== undefined) {
    const raw = request.isBase64Encoded
      ? Buffer.from(request.body as string, 'base64')
      : Buffer.from(request.body as string, 'utf8')
    if (raw.byteLength > (route.maxBodyBytes ?? 16 * 1024)) return 413
    const header = Object.entries(request.headers ?? {}).find(
      ([name]) => name.toLowerCase() === 'content-type',
    )
    const type = (header?.[1] ?? '').split(';')[0]!.trim().toLowerCase()
    if (type !== 'application/json' && !type.endsWith('+json')) return 415
    if (body === NOT_JSON) return 400
  }
  if (route.body && !route.body.safeParse(body ?? {}).success) return 400
  if (route.query && !route.query.safeParse(request.query ?? {}).success) return 400
  if (route.path && !route.path.safeParse(request.pathParameters ?? {}).success) return 400
  if (!route.body && body !== undefined) return 400
  return undefined
}

/** `arbitrary` one time in `oneIn`, else `undefined`. */
export const oneTimeIn = <T>(oneIn: number, arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary })

/**
 * Runs `property` (which sends one generated request and returns the status it got) `runs` times,
 * prints the route's one line of shares and fails unless the run reached what it claims
 * (`statusTally(...).check`).
 */
export const fuzzStatuses = async <T>(
  route: string,
  options: { runs: number; minAccepted: number; declared: readonly number[] },
  arbitrary: fc.Arbitrary<T>,
  property: (value: T) => Promise<number>,
): Promise<void> => {
  const tally = statusTally(route)
  await fc.assert(
    fc.asyncProperty(arbitrary, async (value) => tally.record(await property(value))),
    { numRuns: options.runs },
  )
  console.log(tally.line())
  tally.check(options)
}

/**
 * Polls until `read` returns a value `done` accepts, and fails saying `what` it waited for (with the
 * last value read) once `within` ms have passed: well inside the suites' 60 s test timeout, so a
 * slow or broken producer is reported as what did not happen, never as a test timeout or as the
 * last value returned as if it were the awaited one.
 */
export const eventually = async <T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { within = 40_000, every = 100 }: { within?: number; every?: number } = {},
): Promise<T> => {
  const deadline = Date.now() + within
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline)
      throw new Error(
        `Gave up after ${within} ms waiting for ${what}; last seen: ${JSON.stringify(value)?.slice(0, 500)}`,
      )
    await new Promise((resolve) => setTimeout(resolve, every))
  }
}

/**
 * Request bodies for `schema` as text: mostly valid (`valid`, by default `validInput(schema)`),
 * else one mutation away (`nearMiss`), else `odd` (whatever the caller finds hostile), and, when
 * `oversizeTo` is given, now and then a valid body padded past that many bytes (JSON whitespace),
 * so the size limit alone must refuse it.
 */
export const jsonBodies = (
  schema: z.ZodType,
  options: { odd: fc.Arbitrary<string>; valid?: fc.Arbitrary<unknown>; oversizeTo?: number },
): fc.Arbitrary<string> => {
  const valid = options.valid ?? validInput(schema)
  const { oversizeTo } = options
  return fc.oneof(
    { weight: 16, arbitrary: valid.map((body) => JSON.stringify(body)) },
    { weight: 3, arbitrary: nearMiss(schema, valid).map((body) => JSON.stringify(body)) },
    { weight: 3, arbitrary: options.odd },
    ...(oversizeTo === undefined
      ? []
      : [{ weight: 1, arbitrary: valid.map((body) => `${JSON.stringify(body)}${' '.repeat(oversizeTo)}`) }]),
  )
}

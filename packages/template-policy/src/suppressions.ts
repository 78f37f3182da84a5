/**
 * Suppressions of cfn-guard findings and of our own rules' violations, kept in one reviewed file
 * (`suppressions.yml` beside this package's package.json): each entry names the rule, the resources
 * (logical ids, `*` wildcards), optionally services and stages, and the reason it is acceptable.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'

export interface Suppression {
  readonly rule: string
  readonly resources: readonly string[]
  readonly services?: readonly string[]
  readonly stages?: readonly string[]
  /** Narrows the entry to findings whose text contains this (e.g. one branch of a condition). */
  readonly contains?: string
  readonly reason: string
}

export interface Subject {
  readonly rule: string
  readonly resource: string
  readonly service: string
  readonly stage: string
  readonly text?: string
}

export const SUPPRESSIONS_FILE = join(import.meta.dirname, '..', 'suppressions.yml')

export const readSuppressions = (file = SUPPRESSIONS_FILE): Suppression[] =>
  (parse(readFileSync(file, 'utf8')) as Suppression[] | null) ?? []

const glob = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`)
const matchesAny = (patterns: readonly string[] | undefined, value: string) =>
  !patterns || patterns.some((pattern) => glob(pattern).test(value))

export const matches = (suppression: Suppression, subject: Subject) =>
  suppression.rule === subject.rule &&
  matchesAny(suppression.resources, subject.resource) &&
  matchesAny(suppression.services, subject.service) &&
  matchesAny(suppression.stages, subject.stage) &&
  (suppression.contains === undefined || (subject.text ?? '').includes(suppression.contains))

/** Splits subjects into suppressed and not, and records which suppressions were used. */
export const applySuppressions = <T extends Subject>(
  subjects: readonly T[],
  suppressions: readonly Suppression[],
) => {
  const used = new Set<Suppression>()
  const open: T[] = []
  for (const subject of subjects) {
    const hit = suppressions.find((suppression) => matches(suppression, subject))
    if (hit) used.add(hit)
    else open.push(subject)
  }
  return { open, used }
}

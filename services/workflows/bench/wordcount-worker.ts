/**
 * One measurement in a fresh process (so peak RSS belongs to it alone): reads the file in 64 KiB
 * chunks through a streaming UTF-8 decoder, as the S3 adapter does, and runs the text steps.
 * `mode`: strip | whitespace | count | pipeline (all three, chained) | whole (count, file read at
 * once) | prepare (strip + whitespace into the file named by the third argument: what Word Counts reads).
 * Run bundled by plain Node (bench/index.ts). Prints one JSON line: { seconds, cpuSeconds, words, distinct, peakRssMb }.
 */
import { createReadStream, createWriteStream, readFileSync } from 'node:fs'
import {
  countWords,
  createStripper,
  createWhitespaceCollapser,
  createWordCounter,
  type WordStats,
} from '@app/domain/text'

const [file, mode, target] = process.argv.slice(2) as [string, string, string | undefined]
const output = mode === 'prepare' && target ? createWriteStream(target) : undefined

// Only the steps this mode runs, made before the clock starts: their tables are built on first
// use (module start-up in a Lambda), and a step a mode does not run must not add to its peak RSS.
const strips = mode === 'strip' || mode === 'pipeline' || mode === 'prepare'
const collapses = mode === 'whitespace' || mode === 'pipeline' || mode === 'prepare'
const counts = mode === 'count' || mode === 'pipeline'
const stripper = strips ? createStripper() : undefined
const collapser = collapses ? createWhitespaceCollapser() : undefined
const counter = counts ? createWordCounter() : undefined

const run = async (): Promise<WordStats | undefined> => {
  if (mode === 'whole') return countWords(readFileSync(file, 'utf8'))
  const decoder = new TextDecoder('utf-8', { fatal: true })
  let sink = 0
  const feed = (text: string) => {
    if (mode === 'strip') sink += stripper!.push(text).length
    else if (mode === 'whitespace') sink += collapser!.push(text).length
    else if (mode === 'count') counter!.push(text)
    else if (output) output.write(collapser!.push(stripper!.push(text)))
    else counter!.push(collapser!.push(stripper!.push(text)))
  }
  for await (const bytes of createReadStream(file, { highWaterMark: 64 * 1024 }))
    feed(decoder.decode(bytes as Buffer, { stream: true }))
  feed(decoder.decode())
  if (mode === 'pipeline') counter!.push(collapser!.push(stripper!.end()))
  if (mode === 'strip') sink += stripper!.end().length
  if (output) {
    output.write(collapser!.push(stripper!.end()))
    await new Promise<void>((resolve) => output.end(() => resolve()))
  }
  // Keeps the outputs of strip and whitespace observable, so no engine can skip making them.
  if (sink < 0) throw new Error('unreachable')
  return counter?.finish()
}

const started = process.hrtime.bigint()
const cpu = process.cpuUsage()
const stats = await run()
const seconds = Number(process.hrtime.bigint() - started) / 1e9
const { user, system } = process.cpuUsage(cpu)
// VmHWM is the peak RSS of this process's own address space. ru_maxrss (process.resourceUsage) is
// not: Linux carries the parent's RSS across fork + exec into it, so a worker spawned by the bench
// (which generated the texts) could report the bench's size instead of its own.
const status = readFileSync('/proc/self/status', 'utf8')
const peakRssMb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024
console.log(
  JSON.stringify({
    seconds,
    cpuSeconds: (user + system) / 1e6,
    words: stats?.totalWords ?? 0,
    distinct: stats?.distinctWords ?? 0,
    peakRssMb,
  }),
)

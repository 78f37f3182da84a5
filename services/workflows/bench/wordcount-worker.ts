/**
 * One measurement in a fresh process (so peak RSS belongs to it alone): reads the file in 64 KiB
 * chunks through a streaming UTF-8 decoder, as the S3 adapter does, and runs the text steps.
 * `mode`: strip | whitespace | count | pipeline (all three, chained) | whole (count, file read at
 * once) | prepare (strip + whitespace into the file named by the third argument: what Word Counts reads).
 * Prints one JSON line: { seconds, words, maxRssMb }.
 */
import { createReadStream, createWriteStream, readFileSync } from 'node:fs'
import { countWords, createStripper, createWhitespaceCollapser, createWordCounter } from '@app/domain/text'

const [file, mode, target] = process.argv.slice(2) as [string, string, string | undefined]
const output = mode === 'prepare' && target ? createWriteStream(target) : undefined

const run = async (): Promise<number> => {
  if (mode === 'whole') return countWords(readFileSync(file, 'utf8')).totalWords
  const decoder = new TextDecoder('utf-8', { fatal: true })
  const stripper = createStripper()
  const collapser = createWhitespaceCollapser()
  const counter = createWordCounter()
  let sink = 0
  const feed = (text: string) => {
    if (mode === 'strip') sink += stripper.push(text).length
    else if (mode === 'whitespace') sink += collapser.push(text).length
    else if (mode === 'count') counter.push(text)
    else if (output) output.write(collapser.push(stripper.push(text)))
    else counter.push(collapser.push(stripper.push(text)))
  }
  for await (const bytes of createReadStream(file, { highWaterMark: 64 * 1024 }))
    feed(decoder.decode(bytes as Buffer, { stream: true }))
  feed(decoder.decode())
  if (mode === 'pipeline') counter.push(collapser.push(stripper.end()))
  if (mode === 'strip') sink += stripper.end().length
  if (output) {
    output.write(collapser.push(stripper.end()))
    await new Promise<void>((resolve) => output.end(() => resolve()))
  }
  return mode === 'count' || mode === 'pipeline' ? counter.finish().totalWords : sink
}

const started = process.hrtime.bigint()
const words = await run()
const seconds = Number(process.hrtime.bigint() - started) / 1e9
console.log(JSON.stringify({ seconds, words, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }))

/**
 * Edits of hand-written YAML (serverless.yml, serverless-compose.yml) that leave every byte they do not
 * change as it was: comments, blank lines, flow maps, quoting. The `yaml` parser locates the node to
 * extend (its source range), the `yaml` serializer writes the new entries, and the text is spliced
 * in at that node's end. Re-serializing the whole document instead would re-flow every flow
 * collection and line in the file (tried: 24 to 273 changed lines per service file).
 */
import { Document, isMap, isNode, isScalar, isSeq, type Node, parseDocument, visit } from 'yaml'

type Path = readonly string[]

const INTRINSIC = /^(Ref|Fn::\w+|Condition)$/

/** New entries as block YAML at column 0, intrinsics and short scalar lists in flow style (as the files are written). */
const render = (value: unknown): string => {
  // YAML 1.1 as osls' parser (js-yaml) reads it: strings such as 2012-10-17 or `yes` are quoted.
  const doc = new Document(value, { version: '1.1' })
  visit(doc, {
    Map(_, node) {
      if (
        node.items.length === 1 &&
        isScalar(node.items[0]?.key) &&
        INTRINSIC.test(String(node.items[0].key))
      )
        node.flow = true
    },
    Seq(_, node) {
      if (node.items.every((item) => isScalar(item))) node.flow = true
    },
  })
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false })
}

const indent = (block: string, spaces: number) =>
  block
    .trimEnd()
    .split('\n')
    .map((line) => (line ? ' '.repeat(spaces) + line : line))
    .join('\n')

const columnOf = (text: string, offset: number) => offset - (text.lastIndexOf('\n', offset - 1) + 1)

/** The end of the node's last non-blank text (its range also takes the blank lines and comments after it). */
const contentEnd = (text: string, node: Node) => {
  let end = node.range?.[1] ?? text.length
  while (end > 0 && /\s/.test(text[end - 1] ?? '')) end--
  return end
}

const nodeAt = (text: string, path: Path) => parseDocument(text).getIn(path, true) as Node | undefined

/** The plain value at `path` (undefined when absent). */
export const valueAt = (text: string, path: Path): unknown => {
  const doc = parseDocument(text)
  const value = doc.getIn(path)
  return isNode(value) ? value.toJS(doc) : value
}

/** Entries one after another, a blank line between them when `spaced`. */
const renderEntries = (entries: Record<string, unknown>, spaced: boolean) =>
  spaced
    ? Object.entries(entries)
        .map(([key, value]) => render({ [key]: value }).trimEnd())
        .join('\n\n')
    : render(entries)

/**
 * Adds `entries` to the block map at `path`, after its last entry (a blank line between when
 * `spaced`, as functions and resources are written). A missing map or an empty flow one (`{}`) is
 * created under its parent. Fails when a key already exists: generating over a function is an error.
 */
export const addToMap = (
  text: string,
  path: Path,
  entries: Record<string, unknown>,
  options: { spaced?: boolean } = {},
): string => {
  const node = nodeAt(text, path)
  if (isMap(node) && !node.flow && node.items.length > 0) {
    for (const key of Object.keys(entries))
      if (node.has(key)) throw new Error(`${[...path, key].join('.')} exists already`)
    const first = node.items[0]?.key as Node
    const column = columnOf(text, first.range?.[0] ?? 0)
    const at = contentEnd(text, node)
    const gap = options.spaced ? '\n\n' : '\n'
    return `${text.slice(0, at)}${gap}${indent(renderEntries(entries, options.spaced ?? false), column)}${text.slice(at)}`
  }
  if (path.length === 0) throw new Error('the document is not a block map')
  const parentPath = path.slice(0, -1)
  const key = path.at(-1) as string
  if (node !== undefined && !(isMap(node) && node.items.length === 0)) {
    throw new Error(`${path.join('.')} is not a map`)
  }
  if (node === undefined) return addToMap(text, parentPath, { [key]: entries }, options)
  // `key: {}`: replace the empty flow map by a block one, indented under its key.
  const parent = nodeAt(text, parentPath)
  const pair = isMap(parent)
    ? parent.items.find((item) => isScalar(item.key) && item.key.value === key)
    : undefined
  const keyColumn = columnOf(text, (pair?.key as Node | undefined)?.range?.[0] ?? 0)
  const [start, end] = node.range ?? [0, 0]
  return `${text.slice(0, start).trimEnd()}\n${indent(renderEntries(entries, options.spaced ?? false), keyColumn + 2)}${text.slice(end)}`
}

/** Appends `items` to the sequence at `path` (created, block style, when absent). */
export const addToSeq = (text: string, path: Path, items: readonly unknown[]): string => {
  const node = nodeAt(text, path)
  if (node === undefined) return addToMap(text, path.slice(0, -1), { [path.at(-1) as string]: items })
  if (!isSeq(node)) throw new Error(`${path.join('.')} is not a list`)
  if (node.flow) {
    // `[a, b]`: add before the closing bracket.
    const close = text.lastIndexOf(']', node.range?.[1] ?? 0)
    const inner = text.slice((node.range?.[0] ?? 0) + 1, close).trim()
    const added = items.map((item) => render(item).trim()).join(', ')
    return `${text.slice(0, close).trimEnd()}${inner ? ', ' : ''}${added}${text.slice(close)}`
  }
  const first = node.items[0] as Node
  const column = columnOf(text, first.range?.[0] ?? 0) - 2
  const at = contentEnd(text, node)
  return `${text.slice(0, at)}\n${indent(render(items), column)}${text.slice(at)}`
}

import fc from 'fast-check'
import { JSDOM } from 'jsdom'
import { describe, expect, it } from 'vitest'
import { markdownRenderer } from './markdown'

const { window } = new JSDOM('')
const render = markdownRenderer(window as never)

/** The rendered body inside a container, to inspect as readers' browsers would hold it. */
const rendered = (body: string) => {
  const container = window.document.createElement('div')
  container.append(render(body))
  return container
}

const SCRIPTY_TAGS = 'script, iframe, frame, object, embed, form, style, svg, math, base, meta, link'
const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'xlink:href', 'srcset']

/** Everything that could run script in a reader's page: what must never come out. */
const scriptVectors = (container: Element): string[] => {
  const found: string[] = []
  for (const element of container.querySelectorAll('*')) {
    if (element.matches(SCRIPTY_TAGS)) found.push(`<${element.tagName.toLowerCase()}>`)
    for (const { name, value } of element.attributes) {
      if (name.toLowerCase().startsWith('on')) found.push(`${name}=`)
      // Browsers ignore whitespace and control characters inside a scheme.
      const scheme = [...value]
        .filter((char) => char.charCodeAt(0) > 0x20)
        .join('')
        .toLowerCase()
      if (URL_ATTRIBUTES.includes(name.toLowerCase()) && /^(javascript|vbscript|data):/.test(scheme))
        found.push(`${name}=${value}`)
    }
  }
  return found
}

describe('post Markdown', () => {
  it('renders Markdown: paragraphs, emphasis, links, lists, code', () => {
    const html = rendered(
      'First *paragraph*\nstill first.\n\nSecond with a [link](https://example.com/a).\n\n- one\n- two\n\n`code`',
    ).innerHTML
    expect(html).toContain('<p>First <em>paragraph</em>\nstill first.</p>')
    expect(html).toContain('<a href="https://example.com/a" rel="noopener noreferrer nofollow">link</a>')
    expect(html).toContain('<li>one</li>')
    expect(html).toContain('<code>code</code>')
  })

  it('strips script, event handlers and javascript: URLs an author writes', () => {
    const attacks = [
      '<script>alert(1)</script>',
      '<img src="x" onerror="alert(1)">',
      '[click](javascript:alert(1))',
      '[click](JaVaScRiPt:alert(1))',
      '<a href="jav&#x09;ascript:alert(1)">x</a>',
      '<svg onload="alert(1)"><circle/></svg>',
      '<iframe src="https://example.com"></iframe>',
      '<p style="position:fixed" onclick="alert(1)">hi</p>',
      '<form action="javascript:alert(1)"><button>go</button></form>',
      '![x](javascript:alert(1))',
      '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    ]
    for (const attack of attacks) {
      const container = rendered(`Before\n\n${attack}\n\nAfter`)
      expect(scriptVectors(container), attack).toEqual([])
      expect(container.textContent, attack).toContain('After')
    }
    expect(rendered('<p style="color:red" onclick="x()">kept text</p>').innerHTML).toBe('<p>kept text</p>')
  })

  it('never lets a script vector through, for any mix of Markdown and attack fragments (fuzz)', () => {
    const fragment = fc.constantFrom(
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '<a href="javascript:alert(1)">',
      '[a](javascript:alert(1))',
      '<svg><script>alert(1)</script></svg>',
      '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
      '<iframe srcdoc="<script>alert(1)</script>">',
      '"><img src=x onerror=alert(1)>',
      '<div onmouseover="x()">',
      '` <b onclick=1>`',
      '<a href="\u0001javascript:alert(1)">',
      '*',
      '_',
      '[',
      ']',
      '(',
      ')',
      '\n\n',
      '<',
      '>',
      '"',
      "'",
      '`',
      '<!--',
      '-->',
      'text ',
    )
    fc.assert(
      fc.property(fc.array(fc.oneof(fragment, fc.string({ maxLength: 8 })), { maxLength: 20 }), (parts) => {
        expect(scriptVectors(rendered(parts.join('')))).toEqual([])
      }),
      { numRuns: 300 },
    )
  })

  it('refuses to render without a DOM to sanitise with', () => {
    expect(() => markdownRenderer({} as never)).toThrow(/no DOM/)
  })
})

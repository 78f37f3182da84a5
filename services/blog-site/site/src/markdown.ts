/**
 * The one rendering of a post body (Markdown): the reader's post page and the studio's live preview
 * both use it, so an author sees exactly what readers will. `marked` turns Markdown into HTML and
 * DOMPurify sanitises that HTML (Markdown allows raw HTML): no script, no event handler attribute,
 * no `javascript:` URL reaches a reader's page, whatever an author writes.
 */
import createDOMPurify, { type Config, type DOMPurify, type WindowLike } from 'dompurify'
import { Marked } from 'marked'

// One parser with its own options (not marked's global instance, which any import could reconfigure).
const markdown = new Marked({ gfm: true, async: false })

/** HTML only (no SVG or MathML: a blog body needs neither, and they are where sanitiser bypasses live). */
const SANITISE: Config & { RETURN_DOM_FRAGMENT: true } = {
  USE_PROFILES: { html: true },
  // Forms and frames have no place in a post; style attributes could restyle the page around it.
  FORBID_TAGS: ['form', 'input', 'button', 'textarea', 'select', 'iframe', 'frame', 'style'],
  FORBID_ATTR: ['style'],
  RETURN_DOM_FRAGMENT: true,
}

/** A renderer bound to one window's DOMPurify (the page's, or jsdom's in unit tests). */
export const markdownRenderer = (window: WindowLike = globalThis as unknown as WindowLike) => {
  const purify: DOMPurify = createDOMPurify(window)
  // Without a DOM DOMPurify returns its input unchanged: refuse instead of rendering unsanitised.
  if (!purify.isSupported) throw new Error('markdownRenderer: no DOM to sanitise with')
  // A link out of a post opens no window that could reach back into ours.
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A' && node.getAttribute('href'))
      node.setAttribute('rel', 'noopener noreferrer nofollow')
  })
  /** The sanitised body as a fragment to append (never parsed again as a string: no mutation XSS). */
  return (body: string): DocumentFragment => purify.sanitize(markdown.parse(body, { async: false }), SANITISE)
}

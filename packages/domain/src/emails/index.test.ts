import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  escapeHtml,
  NEWSLETTER_EXCERPT_LENGTH,
  newsletterExcerpt,
  renderNewsletterEmail,
  renderWelcomeEmail,
  unsubscribeUrl,
} from './index'

const input = {
  email: 'reader@example.com',
  unsubscribeToken: 'tok_123',
  siteUrl: 'https://blog.example.com',
  siteName: 'Serverless Classics',
}

describe('renderWelcomeEmail', () => {
  it('addresses the subscriber by the site name in the subject', () => {
    expect(renderWelcomeEmail(input).subject).toBe('Welcome to Serverless Classics')
  })

  it('links the unsubscribe page with the token in both parts', () => {
    const email = renderWelcomeEmail(input)
    expect(email.unsubscribeUrl).toBe('https://blog.example.com/unsubscribe?token=tok_123')
    expect(email.text).toContain('Unsubscribe: https://blog.example.com/unsubscribe?token=tok_123')
    expect(email.html).toContain('href="https://blog.example.com/unsubscribe?token=tok_123"')
  })

  it('gives a text part that carries no markup', () => {
    const { text } = renderWelcomeEmail(input)
    expect(text).not.toMatch(/<[a-z]/i)
    expect(text).toContain('reader@example.com')
    expect(text).toContain('https://blog.example.com/')
  })

  it('escapes user-provided text in the HTML part', () => {
    const email = renderWelcomeEmail({
      ...input,
      email: '"<script>alert(1)</script>"@example.com',
      siteName: "Tom & Jerry's <b>",
    })
    expect(email.html).not.toContain('<script>')
    expect(email.html).toContain('&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;@example.com')
    expect(email.html).toContain('Tom &amp; Jerry&#39;s &lt;b&gt;')
  })

  it('keeps the subject on one header line', () => {
    expect(renderWelcomeEmail({ ...input, siteName: 'A\r\nBcc: victim@example.com' }).subject).toBe(
      'Welcome to A Bcc: victim@example.com',
    )
  })

  it('never lets any subscriber text open a tag or attribute in the HTML part', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), (email, token) => {
        const { html } = renderWelcomeEmail({ ...input, email, unsubscribeToken: token })
        const body = html.slice(html.indexOf('<body'))
        // Every `<` in the body belongs to our own fixed tags.
        const tags = body.match(/<\/?[a-z0-9]+/gi) ?? []
        expect(tags.every((tag) => /^<\/?(body|h1|p|strong|a|hr|html)$/.test(tag))).toBe(true)
        expect(new URL(unsubscribeUrl(input.siteUrl, token)).searchParams.get('token')).toBe(token)
      }),
    )
  })
})

describe('escapeHtml', () => {
  it('escapes the five significant characters', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;')
  })
})

describe('unsubscribeUrl', () => {
  it('keeps a site URL path prefix and encodes the token', () => {
    expect(unsubscribeUrl('https://example.com/blog', 'a b&c=d')).toBe(
      'https://example.com/blog/unsubscribe?token=a+b%26c%3Dd',
    )
  })
})

describe('renderNewsletterEmail', () => {
  const post = {
    slug: 'hello-world',
    title: 'Hello, world',
    summary: 'The first post.',
    body: 'First paragraph.\n\nSecond.',
  }
  const newsletter = { ...input, post }

  it('names the post in the subject and links it, with its excerpt, in both parts', () => {
    const email = renderNewsletterEmail(newsletter)
    expect(email.subject).toBe('New on Serverless Classics: Hello, world')
    expect(email.text).toContain('The first post.')
    expect(email.text).toContain('Read the post: https://blog.example.com/posts/hello-world')
    expect(email.html).toContain('href="https://blog.example.com/posts/hello-world"')
    expect(email.html).toContain('<p>The first post.</p>')
  })

  it("carries the subscriber's own unsubscribe links: the page and RFC 8058 one-click", () => {
    const email = renderNewsletterEmail(newsletter)
    expect(email.unsubscribeUrl).toBe('https://blog.example.com/unsubscribe?token=tok_123')
    expect(email.oneClickUnsubscribeUrl).toBe(
      'https://blog.example.com/api/subscribers/unsubscribe?token=tok_123',
    )
    expect(email.text).toContain('Unsubscribe: https://blog.example.com/unsubscribe?token=tok_123')
  })

  it('takes the first paragraph of the body, cut at a word, when the summary is empty', () => {
    expect(newsletterExcerpt({ summary: '  ', body: 'One.\n\nTwo.' })).toBe('One.')
    const long = newsletterExcerpt({ summary: '', body: `${'word '.repeat(100)}\n\nnext` })
    expect(long.length).toBeLessThanOrEqual(NEWSLETTER_EXCERPT_LENGTH + 1)
    expect(long).toMatch(/word…$/)
  })

  it("escapes the post's text in the HTML part and keeps the subject on one header line", () => {
    const email = renderNewsletterEmail({
      ...newsletter,
      post: { ...post, title: 'A <b>bold</b>\r\nBcc: victim@example.com', summary: '"x" & <script>' },
    })
    expect(email.subject).toBe('New on Serverless Classics: A <b>bold</b> Bcc: victim@example.com')
    expect(email.html).not.toContain('<script>')
    expect(email.html).not.toContain('<b>')
    expect(email.html).toContain('&quot;x&quot; &amp; &lt;script&gt;')
  })

  it('never lets any post text open a tag in the HTML part', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (title, summary, body) => {
        const { html } = renderNewsletterEmail({ ...newsletter, post: { ...post, title, summary, body } })
        const tags = html.slice(html.indexOf('<body')).match(/<\/?[a-z0-9]+/gi) ?? []
        expect(tags.every((tag) => /^<\/?(body|h1|p|strong|a|hr|html)$/.test(tag))).toBe(true)
      }),
    )
  })
})

/**
 * Welcome email rendering: pure, no AWS. The mailer service feeds it a subscriber and the site's
 * stage settings and sends whatever comes out, so every wording and escaping rule lives (and is
 * tested) here.
 */

export interface WelcomeEmailInput {
  /** The recipient, already normalised by the subscribe route. */
  readonly email: string
  /** Secret token stored with the subscriber; it alone authorises the one-click unsubscribe. */
  readonly unsubscribeToken: string
  /** Public site origin from stage config, e.g. `https://blog.example.com` (no trailing slash needed). */
  readonly siteUrl: string
  /** Human name of the site shown in the subject and greeting. */
  readonly siteName: string
}

export interface RenderedEmail {
  readonly subject: string
  readonly html: string
  readonly text: string
  /** The page behind the link in the body: a button that unsubscribes (scanners only GET it). */
  readonly unsubscribeUrl: string
  /**
   * Sent as `List-Unsubscribe` with `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058):
   * mail clients POST to it to unsubscribe in one click. Under `/api/`, the distribution's behaviour
   * that takes POST (the default one, for pages, refuses it).
   */
  readonly oneClickUnsubscribeUrl: string
}

/** The API route of RFC 8058 one-click unsubscribes (blog-site `unsubscribe`). */
export const ONE_CLICK_UNSUBSCRIBE_PATH = 'api/subscribers/unsubscribe'

const siteLink = (siteUrl: string, path: string, token: string): string => {
  const url = new URL(path, siteUrl.endsWith('/') ? siteUrl : `${siteUrl}/`)
  url.searchParams.set('token', token)
  return url.toString()
}

/** The one-click unsubscribe URL of a token (RFC 8058; https in every deployed stage). */
export const oneClickUnsubscribeUrl = (siteUrl: string, token: string): string =>
  siteLink(siteUrl, ONE_CLICK_UNSUBSCRIBE_PATH, token)

/** The confirmation page of a token: `<siteUrl>/confirm?token=<token>`. */
export const confirmUrl = (siteUrl: string, token: string): string => siteLink(siteUrl, 'confirm', token)

const htmlEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (char) => htmlEscapes[char] ?? char)

/**
 * The unsubscribe link: `<siteUrl>/unsubscribe?token=<token>`. Built with URL so a token can never
 * break out of its query parameter, whatever characters it holds.
 */
export const unsubscribeUrl = (siteUrl: string, token: string): string =>
  siteLink(siteUrl, 'unsubscribe', token)

/** The one welcome message every new subscriber receives, as a subject, HTML part and text part. */
export const renderWelcomeEmail = (input: WelcomeEmailInput): RenderedEmail => {
  const link = unsubscribeUrl(input.siteUrl, input.unsubscribeToken)
  const home = new URL(input.siteUrl).toString()
  // Subjects are header text, not HTML: strip line breaks so nothing can smuggle in a header.
  const subject = `Welcome to ${input.siteName}`.replace(/[\r\n]+/g, ' ')
  const site = escapeHtml(input.siteName)
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>
<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 36rem; margin: 0 auto; padding: 1.5rem;">
<h1 style="font-size: 1.5rem;">Welcome to ${site}</h1>
<p>Thanks for subscribing with <strong>${escapeHtml(input.email)}</strong>. You will get an email whenever a new post is published: nothing else, and never shared.</p>
<p><a href="${escapeHtml(home)}">Read the latest posts</a></p>
<hr style="border: none; border-top: 1px solid #ddd;">
<p style="font-size: 0.875rem; color: #555;">Not you, or changed your mind? <a href="${escapeHtml(link)}">Unsubscribe</a>.</p>
</body>
</html>
`
  const text = `Welcome to ${input.siteName}

Thanks for subscribing with ${input.email}. You will get an email whenever a new post is published: nothing else, and never shared.

Read the latest posts: ${home}

Not you, or changed your mind? Unsubscribe: ${link}
`
  return {
    subject,
    html,
    text,
    unsubscribeUrl: link,
    oneClickUnsubscribeUrl: oneClickUnsubscribeUrl(input.siteUrl, input.unsubscribeToken),
  }
}

export interface ConfirmationEmailInput extends WelcomeEmailInput {
  /** Signed, expiring token of the confirmation link (packages/domain/src/subscribers/tokens.ts). */
  readonly confirmationToken: string
}

/**
 * The one email a new address gets before it is subscribed (double opt-in): a link to confirm.
 * Nothing else is sent to an address until its owner clicks it.
 */
export const renderConfirmationEmail = (input: ConfirmationEmailInput): RenderedEmail => {
  const confirm = confirmUrl(input.siteUrl, input.confirmationToken)
  const unsubscribe = unsubscribeUrl(input.siteUrl, input.unsubscribeToken)
  const subject = `Confirm your subscription to ${input.siteName}`.replace(/[\r\n]+/g, ' ')
  const site = escapeHtml(input.siteName)
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>
<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 36rem; margin: 0 auto; padding: 1.5rem;">
<h1 style="font-size: 1.5rem;">Confirm your subscription to ${site}</h1>
<p>Someone, hopefully you, asked to get new posts at <strong>${escapeHtml(input.email)}</strong>. Nothing will be sent unless you confirm.</p>
<p><a href="${escapeHtml(confirm)}">Yes, subscribe me</a></p>
<hr style="border: none; border-top: 1px solid #ddd;">
<p style="font-size: 0.875rem; color: #555;">Not you? Ignore this email, or <a href="${escapeHtml(unsubscribe)}">forget this address now</a>.</p>
</body>
</html>
`
  const text = `Confirm your subscription to ${input.siteName}

Someone, hopefully you, asked to get new posts at ${input.email}. Nothing will be sent unless you confirm.

Yes, subscribe me: ${confirm}

Not you? Ignore this email, or forget this address now: ${unsubscribe}
`
  return {
    subject,
    html,
    text,
    unsubscribeUrl: unsubscribe,
    oneClickUnsubscribeUrl: oneClickUnsubscribeUrl(input.siteUrl, input.unsubscribeToken),
  }
}

/** What a newsletter says of a post: taken from the published item. */
export interface NewsletterPost {
  readonly slug: string
  readonly title: string
  readonly summary: string
  /** Its first paragraph stands in for an empty summary. */
  readonly body: string
}

export interface NewsletterEmailInput extends WelcomeEmailInput {
  readonly post: NewsletterPost
}

/** Longest excerpt taken from a body when the post has no summary (characters). */
export const NEWSLETTER_EXCERPT_LENGTH = 300

/** The summary, or the body's first paragraph cut at a word within `NEWSLETTER_EXCERPT_LENGTH`. */
export const newsletterExcerpt = (post: Pick<NewsletterPost, 'summary' | 'body'>): string => {
  if (post.summary.trim()) return post.summary.trim()
  const paragraph = (post.body.trim().split(/\r?\n\s*\r?\n/)[0] ?? '').replace(/\s+/g, ' ')
  if (paragraph.length <= NEWSLETTER_EXCERPT_LENGTH) return paragraph
  const cut = paragraph.slice(0, NEWSLETTER_EXCERPT_LENGTH)
  const space = cut.lastIndexOf(' ')
  return `${(space > NEWSLETTER_EXCERPT_LENGTH / 2 ? cut.slice(0, space) : cut).trimEnd()}…`
}

/** A post's page on the site: `<siteUrl>/posts/<slug>` (the slug encoded, whatever it holds). */
export const postUrl = (siteUrl: string, slug: string): string =>
  new URL(`posts/${encodeURIComponent(slug)}`, siteUrl.endsWith('/') ? siteUrl : `${siteUrl}/`).toString()

/**
 * The email every confirmed subscriber gets when a post is published: its title, excerpt and link,
 * and the subscriber's own unsubscribe links (the page, and RFC 8058 one-click).
 */
export const renderNewsletterEmail = (input: NewsletterEmailInput): RenderedEmail => {
  const unsubscribe = unsubscribeUrl(input.siteUrl, input.unsubscribeToken)
  const link = postUrl(input.siteUrl, input.post.slug)
  const title = input.post.title.replace(/\s+/g, ' ').trim()
  const excerpt = newsletterExcerpt(input.post)
  // Header text, not HTML: a title's line breaks must not smuggle in a header.
  const subject = `New on ${input.siteName}: ${title}`.replace(/[\r\n]+/g, ' ')
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>
<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 36rem; margin: 0 auto; padding: 1.5rem;">
<p style="font-size: 0.875rem; color: #555;">New on ${escapeHtml(input.siteName)}</p>
<h1 style="font-size: 1.5rem;"><a href="${escapeHtml(link)}" style="color: inherit;">${escapeHtml(title)}</a></h1>
<p>${escapeHtml(excerpt)}</p>
<p><a href="${escapeHtml(link)}">Read the post</a></p>
<hr style="border: none; border-top: 1px solid #ddd;">
<p style="font-size: 0.875rem; color: #555;">You get this because <strong>${escapeHtml(input.email)}</strong> subscribed to new posts. <a href="${escapeHtml(unsubscribe)}">Unsubscribe</a>.</p>
</body>
</html>
`
  const text = `New on ${input.siteName}

${title}

${excerpt}

Read the post: ${link}

You get this because ${input.email} subscribed to new posts. Unsubscribe: ${unsubscribe}
`
  return {
    subject,
    html,
    text,
    unsubscribeUrl: unsubscribe,
    oneClickUnsubscribeUrl: oneClickUnsubscribeUrl(input.siteUrl, input.unsubscribeToken),
  }
}

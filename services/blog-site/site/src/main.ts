import { ApiError, api, type Photo, type PostSummary } from './api'
import { element } from './dom'
import { formatDate, slugFromPath, srcset, subscribeMessage } from './format'
import { markdownRenderer } from './markdown'

/**
 * The readers' script: no framework, text set with textContent (never innerHTML); a post's body
 * is Markdown, rendered and sanitised by the module the studio's preview uses too (./markdown), so
 * nothing a post contains can run as code. Every page works with the keyboard and tells screen
 * readers what changed through its `role="status"` regions.
 */

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T | null

const postMeta = (post: PostSummary) =>
  element(
    'p',
    { class: 'meta' },
    element('time', { datetime: post.publishedAt }, formatDate(post.publishedAt)),
    ` · ${post.author}`,
  )

const renderHome = async () => {
  const list = byId<HTMLOListElement>('post-list')
  const status = byId('posts-status')
  const more = byId<HTMLButtonElement>('load-more')
  if (!list || !status || !more) return
  let cursor: string | undefined
  const load = async () => {
    more.disabled = true
    try {
      const page = await api.listPosts(cursor)
      for (const post of page.items) {
        list.append(
          element(
            'li',
            {},
            element(
              'article',
              { class: 'post-card' },
              element('h2', {}, element('a', { href: `/posts/${post.slug}` }, post.title)),
              postMeta(post),
              element('p', {}, post.summary),
            ),
          ),
        )
      }
      cursor = page.nextCursor
      more.hidden = !cursor
      status.textContent = list.children.length ? '' : 'No posts yet.'
    } catch (error) {
      status.textContent = 'The posts could not be loaded. Please reload the page.'
      console.error(error)
    } finally {
      more.disabled = false
    }
  }
  more.addEventListener('click', () => void load())
  await load()
}

const photoFigure = (photo: Photo, title: string, index: number) => {
  const alt = photo.caption || `Photo ${index + 1} of “${title}”`
  if (photo.status !== 'ready' || !photo.thumbnails.length)
    return element('li', { class: 'photo pending' }, element('p', {}, 'Processing photo…'))
  const smallest = photo.thumbnails[0]!
  const image = element('img', {
    src: smallest.url,
    srcset: srcset(photo.thumbnails),
    sizes: '(min-width: 48rem) 15rem, 45vw',
    alt,
    loading: 'lazy',
    decoding: 'async',
    ...(photo.width && photo.height ? { width: String(photo.width), height: String(photo.height) } : {}),
  })
  return element(
    'li',
    { class: 'photo' },
    element(
      'figure',
      {},
      // The largest thumbnail: readers never get the original (it keeps the camera's EXIF).
      element('a', { href: photo.thumbnails.at(-1)!.url, 'aria-label': `${alt} (large)` }, image),
      ...(photo.caption ? [element('figcaption', {}, photo.caption)] : []),
    ),
  )
}

/** Thumbnails are made after the upload; while any is pending, look again a few times. */
const POLL_INTERVAL_MS = 3000
const MAX_POLLS = 40

const renderPhotos = async (slug: string, title: string, poll = 0): Promise<void> => {
  const section = byId('photos')
  const list = byId<HTMLUListElement>('photo-list')
  const status = byId('photos-status')
  if (!section || !list || !status) return
  let photos: Photo[]
  try {
    photos = (await api.listPhotos(slug)).items
  } catch (error) {
    console.error(error)
    return
  }
  section.hidden = photos.length === 0
  list.replaceChildren(...photos.map((photo, index) => photoFigure(photo, title, index)))
  const pending = photos.filter((photo) => photo.status !== 'ready').length
  status.textContent = pending
    ? `${pending} photo${pending > 1 ? 's are' : ' is'} still being processed.`
    : ''
  if (pending && poll < MAX_POLLS)
    setTimeout(() => void renderPhotos(slug, title, poll + 1), POLL_INTERVAL_MS)
}

const renderPost = async () => {
  const article = byId('post')
  if (!article) return
  const slug = slugFromPath(location.pathname)
  try {
    if (!slug) throw new ApiError(404)
    const post = await api.getPost(slug)
    document.title = `${post.title} · Serverless Classics`
    article.replaceChildren(
      element('h1', {}, post.title),
      postMeta(post),
      element('div', { class: 'post-body' }, markdownRenderer()(post.body)),
    )
    article.setAttribute('aria-busy', 'false')
    await renderPhotos(post.slug, post.title)
  } catch (error) {
    const missing = error instanceof ApiError && error.status === 404
    document.title = `${missing ? 'Post not found' : 'Error'} · Serverless Classics`
    article.replaceChildren(
      element('h1', {}, missing ? 'Post not found' : 'The post could not be loaded'),
      element('p', {}, missing ? 'There is no post at this address.' : 'Please reload the page in a moment.'),
    )
    article.setAttribute('aria-busy', 'false')
  }
}

const wireSubscribe = () => {
  const form = byId<HTMLFormElement>('subscribe-form')
  const input = byId<HTMLInputElement>('subscribe-email')
  const message = byId('subscribe-message')
  if (!form || !input || !message) return
  const button = form.querySelector('button')!
  const show = (text: string, kind: 'success' | 'error' | 'pending') => {
    message.textContent = text
    message.dataset.state = kind
    input.setAttribute('aria-invalid', String(kind === 'error'))
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const email = input.value.trim()
    if (!email || !input.validity.valid) {
      show('Please enter an email address, like name@example.com.', 'error')
      input.focus()
      return
    }
    button.disabled = true
    form.setAttribute('aria-busy', 'true')
    show('Subscribing…', 'pending')
    try {
      const answer = await api.subscribe(email)
      show(subscribeMessage({ ok: true, email: answer.email }), 'success')
      form.reset()
    } catch (error) {
      const status = error instanceof ApiError ? error.status : 0
      show(subscribeMessage({ ok: false, status, detail: (error as ApiError).detail }), 'error')
      input.focus()
    } finally {
      button.disabled = false
      form.removeAttribute('aria-busy')
    }
  })
}

/** The signed token of an email's link (packages/domain/src/subscribers: `linkTokenSchema`). */
const LINK_TOKEN = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+){2,4}$/

const wireConfirm = () => {
  const form = byId<HTMLFormElement>('confirm-form')
  const message = byId('confirm-message')
  if (!form || !message) return
  const button = form.querySelector('button')!
  const token = new URLSearchParams(location.search).get('token') ?? ''
  const show = (text: string, state: 'success' | 'error' | 'pending') => {
    message.dataset.state = state
    message.textContent = text
  }
  if (!LINK_TOKEN.test(token)) {
    button.disabled = true
    show('This confirmation link is incomplete. Please use the whole link from the email.', 'error')
    return
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    button.disabled = true
    show('Confirming…', 'pending')
    try {
      await api.confirm(token)
      show('You are subscribed. A welcome email is on its way.', 'success')
    } catch (error) {
      const status = error instanceof ApiError ? error.status : 500
      if (status === 409) return show('You had already confirmed: you are subscribed.', 'success')
      if (status === 410 || status === 404)
        return show('This link has expired. Please subscribe again to get a new one.', 'error')
      button.disabled = false
      if (status === 400)
        return show('This confirmation link is not valid. Please use the whole link from the email.', 'error')
      show(
        status === 0
          ? 'We could not reach the server. Check your connection and try again.'
          : 'Something went wrong on our side. Please try again later.',
        'error',
      )
    }
  })
}

const wireUnsubscribe = () => {
  const form = byId<HTMLFormElement>('unsubscribe-form')
  const message = byId('unsubscribe-message')
  if (!form || !message) return
  const button = form.querySelector('button')!
  const token = new URLSearchParams(location.search).get('token') ?? ''
  if (!LINK_TOKEN.test(token)) {
    button.disabled = true
    message.dataset.state = 'error'
    message.textContent = 'This unsubscribe link is incomplete. Please use the whole link from the email.'
    return
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    button.disabled = true
    message.dataset.state = 'pending'
    message.textContent = 'Unsubscribing…'
    try {
      await api.unsubscribe(token)
      message.dataset.state = 'success'
      message.textContent = 'You are unsubscribed. We will not email you again.'
    } catch (error) {
      button.disabled = false
      message.dataset.state = 'error'
      message.textContent =
        error instanceof ApiError && error.status === 0
          ? 'We could not reach the server. Check your connection and try again.'
          : 'Something went wrong on our side. Please try again later.'
    }
  })
}

wireSubscribe()
wireUnsubscribe()
wireConfirm()
const page = document.body.dataset.page
if (page === 'home') void renderHome()
if (page === 'post') void renderPost()
